// The requests that give a new series its exceptions, against a recording stand-in for Graph: one
// listing per window, pages followed through @odata.nextLink, then a PATCH per change and a DELETE
// per cancellation (a 404 there is fine); an exception matching nothing changes nothing.
import * as assert from 'node:assert/strict';
import type { GraphSession } from '../../../../src/connectors/m365/graphSession';
import { graphError } from '../../../../src/connectors/m365/graphErrors';
import type { SeriesException } from '../../../../src/connectors/m365/pim/seriesExceptions';
import { applyExceptions } from '../../../../src/connectors/m365/pim/seriesWriter';
import { ConnectorError } from '../../../../src/connectors/types';

interface Sent {
  method: string;
  url: string;
  body?: unknown;
}

/** A session whose Graph answers from `pages` (by URL) and records every request. */
function recordingSession(pages: Record<string, object>, gone: string[] = []): { session: GraphSession; sent: Sent[] } {
  const sent: Sent[] = [];
  const client = {
    api: (url: string) => ({
      get: () => {
        sent.push({ method: 'GET', url });
        const key = Object.keys(pages).find((k) => url.includes(k));
        return Promise.resolve(key ? pages[key] : { value: [] });
      },
      patch: (body: unknown) => {
        sent.push({ method: 'PATCH', url, body });
        return Promise.resolve({});
      },
      delete: () => {
        sent.push({ method: 'DELETE', url });
        return gone.some((g) => url.endsWith(g)) ? Promise.reject(graphError('GRAPH-ITEM-GONE', ['cancel', 'ann', 'gone'])) : Promise.resolve(undefined);
      },
    }),
  };
  const session = { userPath: '/users/ann', call: (_what: string, request: (c: typeof client) => Promise<unknown>) => request(client) } as unknown as GraphSession;
  return { session, sent };
}

const occurrence = (id: string, originalStart: string) => ({ id, type: 'occurrence', originalStart });
const moved = { subject: 'moved' } as NonNullable<SeriesException['event']>;

describe('Microsoft 365 series exceptions written', () => {
  it('lists each window once, follows nextLink, then PATCHes changes and DELETEs cancellations (404 is fine)', async () => {
    const { session, sent } = recordingSession(
      {
        'startDateTime=2026-03-08': { value: [occurrence('o1', '2026-03-09T09:00:00Z')], '@odata.nextLink': 'https://graph/v1.0/users/ann/events/S/instances?page=2' },
        'page=2': { value: [occurrence('o2', '2026-03-16T09:00:00Z')] },
        'startDateTime=2027-03-07': { value: [occurrence('o3', '2027-03-08T09:00:00Z')] },
      },
      ['o3'],
    );
    await applyExceptions(session, 'S', [{ originalStart: '2026-03-09T09:00:00Z', event: moved }, { originalStart: '2026-03-16T09:00:00Z' }, { originalStart: '2027-03-08T09:00:00Z' }], false, 'Calendar');
    assert.deepEqual(
      sent.map((s) => `${s.method} ${s.url.replace(/\?.*$/, (q) => (q.includes('page=2') ? '?page=2' : `?${new URLSearchParams(q.slice(1)).get('startDateTime')}`))}`),
      ['GET /users/ann/events/S/instances?2026-03-08T09:00:00Z', 'GET https://graph/v1.0/users/ann/events/S/instances?page=2', 'GET /users/ann/events/S/instances?2027-03-07T09:00:00Z', 'PATCH /users/ann/events/o1', 'DELETE /users/ann/events/o2', 'DELETE /users/ann/events/o3'],
    );
    assert.deepEqual(sent.find((s) => s.method === 'PATCH')?.body, moved);
  });

  it('an exception matching no occurrence fails the item with GRAPH-SERIES-EXCEPTION before any change', async () => {
    const { session, sent } = recordingSession({ instances: { value: [occurrence('o1', '2026-03-09T09:00:00Z')] } });
    await assert.rejects(
      applyExceptions(session, 'S', [{ originalStart: '2026-03-09T09:00:00Z' }, { originalStart: '2026-03-10T09:00:00Z', event: moved }], false, 'Calendar'),
      (err: unknown) => err instanceof ConnectorError && err.code === 'GRAPH-SERIES-EXCEPTION' && err.disposition === 'item' && /changed 2026-03-10T09:00:00Z/.test(err.message),
    );
    assert.deepEqual(sent.map((s) => s.method), ['GET']);
  });
});
