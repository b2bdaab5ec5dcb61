// The MULTIAPPEND command as it goes to the wire: each message's flags and internal date are handed to
// imapflow's compiler as one TEXT part (imapMultiAppend.ts), which must give exactly the bytes imapflow
// writes for its own APPEND arguments (a list of flag atoms and a quoted date-time), for any flags the
// sources give and any date; what the fast form cannot write goes the way imapflow's APPEND does.
import * as assert from 'node:assert/strict';
import type { ImapFlow } from 'imapflow';
import { appendDate, multiAppend } from '../../../src/connectors/imap/imapMultiAppend';
import { imapFlag } from '../../../src/connectors/imap/imapKeywords';
import type { ItemContent } from '../../../src/connectors/types';
import { prng } from '../helpers/prng';

type Compiler = (command: { tag: string; command: string; attributes: unknown[] }, options: { asArray?: boolean; literalPlus?: boolean; literalMinus?: boolean }) => Promise<(Buffer | Buffer[])[]>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compiler } = require('imapflow/lib/handler/imap-handler.js') as { compiler: Compiler };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require('imapflow/lib/tools.js') as { formatDateTime(d: Date): string | undefined; formatFlag(f: string): string | false; canUseFlag(mailbox: unknown, flag: string): boolean };

/** A client as multiAppend sees it; `exec` keeps the attributes it was given and answers APPENDUID. */
function fakeClient(permanentFlags: string[], capabilities: string[] = ['MULTIAPPEND', 'UIDPLUS', 'LITERAL+']) {
  const sent: unknown[][] = [];
  const client = {
    capabilities: new Map<string, boolean | number>(capabilities.map((c) => [c, true])),
    enabled: new Set<string>(),
    namespace: { delimiter: '/', prefix: '' },
    mailbox: { path: 'INBOX', permanentFlags: new Set(permanentFlags) },
    async exec(_command: string, attributes: unknown[]) {
      sent.push(attributes);
      const count = attributes.filter((a) => (a as { type?: string }).type === 'LITERAL').length;
      return { response: { attributes: [{ section: [{ value: 'APPENDUID' }, { value: '7' }, { value: `1:${count}` }] }] }, next() {} };
    },
  };
  return { client: client as unknown as ImapFlow, sent };
}

/** The arguments imapflow's own APPEND builds for one message (commands/append.js). */
function imapflowArguments(client: ImapFlow, content: ItemContent): unknown[] {
  const flags = content.flags.map((f) => tools.formatFlag(imapFlag(f))).filter((f): f is string => !!f && tools.canUseFlag(client.mailbox, f));
  const date = tools.formatDateTime(content.date);
  return [flags.map((value) => ({ type: 'ATOM', value })), ...(date ? [{ type: 'STRING', value: date }] : []), { type: 'LITERAL', value: content.data, isLiteral8: false }];
}

async function wire(attributes: unknown[], literalPlus: boolean): Promise<Buffer> {
  const parts = await compiler({ tag: 'A1', command: 'APPEND', attributes }, { asArray: true, literalPlus, literalMinus: literalPlus });
  return Buffer.concat(parts.flat());
}

const FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft', '\\Recent', '\\seen', '$Forwarded', '$MDNSent', 'Work', 'Projets/Été', 'My receipts', '', '\\', 'a]b', 'x%y', 'NonJunk', '$label1', '\\Weird]', '\\x y', '\\Ünï', '\\a{b', '\\\\Seen'];

describe('connectors: imap MULTIAPPEND arguments', () => {
  it('writes flags and dates exactly as imapflow writes them for its own APPEND, for any flags and dates', async () => {
    const rnd = prng(17);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
    const dates = [new Date(Date.UTC(2023, 0, 5, 9, 3, 7)), new Date(Date.UTC(2024, 11, 31, 23, 59, 59)), new Date(0), new Date(Date.UTC(1969, 6, 20, 20, 17)), new Date(Date.UTC(999, 0, 1)), new Date(Date.UTC(10000, 0, 1)), new Date(NaN), new Date(Date.UTC(1000, 0, 1))];
    for (let i = 0; i < 300; i++) dates.push(new Date(Math.floor(rnd() * 4e12) - 1e12));
    for (const permanent of [['\\*'], ['\\Seen', '\\Flagged', 'Work']]) {
      for (const literalPlus of [true, false]) {
        const { client, sent } = fakeClient(permanent);
        const contents: ItemContent[] = dates.map((date, i) => ({
          format: 'rfc822',
          data: Buffer.from(`Subject: ${i}\r\n\r\nbody ${i}\r\n`),
          flags: Array.from({ length: Math.floor(rnd() * 4) }, () => pick(FLAGS)),
          date,
        }));
        const result = await multiAppend(client, 'INBOX', contents);
        assert.equal(result?.uids.length, contents.length);
        const theirs = [{ type: 'ATOM', value: 'INBOX' }, ...contents.flatMap((c) => imapflowArguments(client, c))];
        assert.equal((await wire(sent[0], literalPlus)).toString('latin1'), (await wire(theirs, literalPlus)).toString('latin1'));
      }
    }
  });

  it('hands the compiler two parts per message (flags and date as one), not a list of atoms and a string', async () => {
    const { client, sent } = fakeClient(['\\*']);
    const flags = ['\\Seen', '$Forwarded'];
    const contents = Array.from({ length: 100 }, (_, i) => ({ format: 'rfc822' as const, data: Buffer.from(`m ${i}\r\n`), flags, date: new Date(Date.UTC(2024, 0, 1 + i)) }));
    await multiAppend(client, 'INBOX', contents);
    assert.equal(sent[0].length, 1 + 2 * contents.length);
    assert.deepEqual(sent[0][1], { type: 'TEXT', value: '(\\Seen $Forwarded) " 1-Jan-2024 00:00:00 +0000"' });
  });

  it('formats an internal date as imapflow does, without asking it', () => {
    const rnd = prng(3);
    for (let i = 0; i < 2000; i++) {
      const date = new Date(Math.floor(rnd() * 2.5e14) - 6e13);
      const ours = appendDate(date);
      if (ours !== undefined) assert.equal(ours, tools.formatDateTime(date), date.toISOString());
      else assert.ok(date.getUTCFullYear() < 1000 || date.getUTCFullYear() > 9999, date.toISOString());
    }
    assert.equal(appendDate(new Date(Date.UTC(2026, 2, 4, 5, 6, 7))), ' 4-Mar-2026 05:06:07 +0000');
    assert.equal(appendDate(new Date(NaN)), undefined);
  });
});
