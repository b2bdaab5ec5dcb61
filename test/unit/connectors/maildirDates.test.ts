// A Maildir message's received date: its mtime and its name's delivery time, the earlier when they
// differ (a copy makes files newer; Dovecot names APPENDed files with the time of the APPEND); the
// message's Received or Date header when the name has none.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deliveryDate, fileNameDate, receivedDate, sentDate } from '../../../src/connectors/maildir/maildirDates';

describe('maildir: item dates from the message and its file name', () => {
  it('takes the top-most Received header (folded, with a comment), not a later hop nor the Date header', () => {
    const headers = 'Return-Path: <a@x>\r\nReceived: from mx.example (mx.example [192.0.2.1])\r\n\tby imap.example with LMTP;\r\n\tTue, 3 Mar 2026 10:15:00 +0100 (CET)\r\nReceived: from out.example by mx.example; Tue, 3 Mar 2026 09:14:00 +0000\r\nDate: Mon, 2 Mar 2026 08:00:00 +0000\r\nSubject: hi';
    assert.equal(receivedDate(headers)?.toISOString(), '2026-03-03T09:15:00.000Z');
    assert.equal(sentDate(headers)?.toISOString(), '2026-03-02T08:00:00.000Z');
  });

  it('reads a Date header in another zone; a Received header without a date, or no header, says nothing', () => {
    assert.equal(sentDate('Subject: sent\nDate: Wed, 1 Jan 2025 12:00:00 -0500')?.toISOString(), '2025-01-01T17:00:00.000Z');
    assert.equal(receivedDate('Received: from x by y\nSubject: no date'), undefined);
    assert.equal(receivedDate(''), undefined);
  });

  it('reads the delivery time a Maildir file name starts with', () => {
    assert.equal(fileNameDate('1735732800.M12P34.host,S=120:2,S')?.toISOString(), '2025-01-01T12:00:00.000Z');
    assert.equal(fileNameDate('msg-without-time:2,'), undefined);
  });
});

describe('maildir: which date a listed file gets', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-maildir-dates-'));
  const file = (name: string, text = 'Subject: x\n\nbody\n') => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const y2025 = Date.UTC(2025, 0, 1, 12, 0, 0, 250);
  const now = Date.now();

  it('the mtime when the name says the same second (what Ferry and delivery agents write)', async () => {
    assert.equal((deliveryDate(file('a'), `${Math.floor(y2025 / 1000)}.M1P1.h`, y2025)).getTime(), y2025);
  });

  it("a copied Maildir (every mtime now): the name's delivery time", async () => {
    assert.equal((deliveryDate(file('b'), `${Math.floor(y2025 / 1000)}.M1P1.h`, now)).getTime(), Date.UTC(2025, 0, 1, 12));
  });

  it('a file Dovecot wrote on APPEND (named now, mtime the received date): the mtime', async () => {
    assert.equal((deliveryDate(file('c'), `${Math.floor(now / 1000)}.M1P1.h`, y2025)).getTime(), y2025);
  });

  it('a name without a time in a copied Maildir: the Received header', async () => {
    const f = file('d', 'Received: from a by b; Wed, 1 Jan 2025 12:00:00 +0000\nDate: Tue, 31 Dec 2024 00:00:00 +0000\n\nbody\n');
    assert.equal(deliveryDate(f, 'msg-d', now).toISOString(), '2025-01-01T12:00:00.000Z');
  });
});
