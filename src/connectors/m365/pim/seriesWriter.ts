// Gives a series Graph has just created the exceptions of its source, the way Graph documents it:
// list the series' occurrences (`/events/{id}/instances`, over one or a few windows around the
// exceptions, paged), then PATCH each modified occurrence (it becomes an exception) and DELETE
// each cancelled one (a 404 means it is gone already: that is what was wanted).
import { ConnectorError } from '../../types';
import { graphError } from '../graphErrors';
import type { GraphSession } from '../graphSession';
import { select } from '../graphSelect';
import type { Event } from '@microsoft/microsoft-graph-types';
import type { SeriesException } from './seriesExceptions';
import { instanceWindows, matchInstances, type GraphInstance } from './seriesInstances';

interface InstancePage {
  value: GraphInstance[];
  '@odata.nextLink'?: string;
}

async function listInstances(session: GraphSession, seriesUrl: string, exceptions: readonly SeriesException[], where: string): Promise<GraphInstance[]> {
  const instances: GraphInstance[] = [];
  for (const window of instanceWindows(exceptions)) {
    const query = new URLSearchParams({ startDateTime: window.start, endDateTime: window.end, $select: select<Event>('id', 'type', 'originalStart'), $top: '100' });
    for (let url: string | undefined = `${seriesUrl}/instances?${query.toString()}`; url; ) {
      const page: InstancePage = await session.call(`list the occurrences of a series in ${where}`, (c) => c.api(url!).get() as Promise<InstancePage>);
      instances.push(...page.value);
      url = page['@odata.nextLink'];
    }
  }
  return instances;
}

/**
 * Applies the exceptions to the series `seriesId`. An exception whose original start is no
 * occurrence of the series Graph made fails the item (GRAPH-SERIES-EXCEPTION) before anything is
 * changed, rather than being dropped: a meeting shown at its old time, or a cancelled one shown at
 * all, is worse than an item listed in the report, and such a mismatch means the source's series
 * and its exceptions disagree (or Ferry read one of them wrong), which the operator should see.
 */
export async function applyExceptions(session: GraphSession, seriesId: string, exceptions: readonly SeriesException[], allDay: boolean, where: string): Promise<void> {
  const events = `${session.userPath}/events`;
  const { patches, deletes, unmatched } = matchInstances(exceptions, await listInstances(session, `${events}/${encodeURIComponent(seriesId)}`, exceptions, where), allDay);
  if (unmatched.length) throw graphError('GRAPH-SERIES-EXCEPTION', [where, unmatched.map((e) => `${e.event ? 'changed' : 'cancelled'} ${e.originalStart}`).join(', ')], 'item');
  for (const p of patches) await session.call(`change the occurrence of ${p.originalStart} in ${where}`, (c) => c.api(`${events}/${encodeURIComponent(p.id)}`).patch(p.event) as Promise<unknown>);
  for (const d of deletes) {
    try {
      await session.call(`cancel the occurrence of ${d.originalStart} in ${where}`, (c) => c.api(`${events}/${encodeURIComponent(d.id)}`).delete() as Promise<unknown>);
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE')) throw err;
    }
  }
}
