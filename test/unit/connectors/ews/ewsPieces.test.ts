// The EWS connector's pure parts: reading faults and HTTP errors into catalog codes, folder and item
// classes, and the endpoint settings with their credentials.
import * as assert from 'node:assert/strict';
import { ewsFailureError, failureOfResponse } from '../../../../src/connectors/ews/ewsErrors';
import { folderClassOf, itemTypeOfClass } from '../../../../src/connectors/ews/ewsFolders';
import { itemTypeOfItemClass } from '../../../../src/connectors/ews/ewsProperties';
import { ewsSettings } from '../../../../src/connectors/ews/ewsSettings';
import { ConnectorError, type OpenMailboxRequest } from '../../../../src/connectors/types';

const busyFault = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode><faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode><e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">The server cannot service this request right now. Try again later.</e:Message><t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="BackOffMilliseconds">2345</t:Value></t:MessageXml></detail></s:Fault></s:Body></s:Envelope>`;

function request(settings: Record<string, unknown>, secrets: Record<string, string> = { EX: 'pw' }, auth: OpenMailboxRequest['endpoint']['auth'] | null = { username: 'CONTOSO\\migadmin', password: { secret: 'EX' } }): OpenMailboxRequest {
  return {
    endpoint: { name: 'onprem', type: 'exchange', settings: { type: 'exchange', ...settings }, ...(auth ? { auth } : {}), nameRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
    planDir: '/tmp',
    mailbox: 'ann@contoso.example',
    credentials: { secrets: new Map(Object.entries(secrets)) },
    signal: new AbortController().signal,
  };
}

describe('connectors: EWS pieces', () => {
  it('reads ErrorServerBusy and its BackOffMilliseconds from a SOAP fault', () => {
    const failure = failureOfResponse(500, busyFault)!;
    assert.deepEqual([failure.responseCode, failure.backOffMs, failure.httpStatus], ['ErrorServerBusy', 2345, 500]);
    const error = ewsFailureError(failure, { mailbox: 'ann@contoso.example', what: 'list the folders', where: 'mail.contoso.example' });
    assert.ok(error instanceof ConnectorError);
    assert.deepEqual([error.code, error.disposition, error.retryAfterMs], ['EWS-SERVER-BUSY', 'transient', 2345]);
    assert.match(error.message, /mail\.contoso\.example.*ann@contoso\.example.*list the folders/);
  });

  it('maps HTTP statuses without a fault: 401 to the credentials, 503 to a transient outage', () => {
    assert.equal(failureOfResponse(200, ''), undefined);
    const unauthorized = ewsFailureError(failureOfResponse(401, '')!, { mailbox: 'a@b.c', what: 'log in', where: 'h' });
    assert.deepEqual([unauthorized.code, unauthorized.disposition], ['EWS-UNAUTHORIZED', 'mailbox']);
    const unavailable = ewsFailureError(failureOfResponse(503, '<html>Service Unavailable</html>')!, { mailbox: 'a@b.c', what: 'log in', where: 'h' });
    assert.deepEqual([unavailable.code, unavailable.disposition], ['EWS-UNAVAILABLE', 'transient']);
  });

  it('knows what folders and items hold from their classes', () => {
    assert.deepEqual(['IPF.Note', 'IPF.Note.OutlookHomepage', undefined, 'IPF.Contact', 'IPF.Appointment', 'IPF.Task', 'IPF.StickyNote', 'IPF.Journal'].map(itemTypeOfClass), ['mail', 'mail', 'mail', 'contacts', 'calendar', 'tasks', undefined, undefined]);
    assert.deepEqual(['mail', 'contacts', 'calendar', 'tasks'].map((t) => folderClassOf(t as 'mail')), ['IPF.Note', 'IPF.Contact', 'IPF.Appointment', 'IPF.Task']);
    assert.deepEqual(['IPM.Note', 'IPM.Note.SMIME', 'REPORT.IPM.Note.NDR', 'IPM.Contact', 'IPM.DistList', 'IPM.Appointment', 'IPM.Schedule.Meeting.Request', 'IPM.Task', 'IPM.Sharing'].map((c) => itemTypeOfItemClass(c, 'mail')), ['mail', 'mail', 'mail', 'contacts', 'contacts', 'calendar', 'calendar', 'tasks', 'mail']);
  });

  it('settings: NTLM and impersonation by default, the secret resolved, {mailbox} filled in', () => {
    const s = ewsSettings(request({ url: 'https://mail.contoso.example/EWS/Exchange.asmx' }));
    assert.deepEqual({ ...s, credential: { ...s.credential } }, {
      url: 'https://mail.contoso.example/EWS/Exchange.asmx',
      access: 'impersonation',
      maxConnections: 10,
      allowInvalidCertificates: false,
      credential: { scheme: 'ntlm', username: 'CONTOSO\\migadmin', secret: 'pw' },
      mailbox: 'ann@contoso.example',
    });
    const delegated = ewsSettings(request({ autodiscover: 'admin@contoso.example', authentication: 'basic', access: 'delegation', version: 'Exchange2010_SP2' }, { EX: 'pw' }, { username: '{mailbox}', password: { secret: 'EX' } }));
    assert.deepEqual([delegated.url, delegated.autodiscover, delegated.version, delegated.access, delegated.credential.scheme, delegated.credential.username], [undefined, 'admin@contoso.example', 'Exchange2010_SP2', 'delegation', 'basic', 'ann@contoso.example']);
  });

  it('settings: a missing account or secret is EWS-UNAUTHORIZED naming what to set, never a secret', () => {
    assert.throws(() => ewsSettings(request({ url: 'https://h/EWS/Exchange.asmx' }, {}, null)), (e: ConnectorError) => e.code === 'EWS-UNAUTHORIZED' && /auth\.username/.test(e.message));
    assert.throws(() => ewsSettings(request({ url: 'https://h/EWS/Exchange.asmx' }, {})), (e: ConnectorError) => e.code === 'EWS-UNAUTHORIZED' && /secret EX is not set/.test(e.message) && e.disposition === 'mailbox');
  });
});
