// Listing a folder from its stored delta link, the same for Graph's messages and the mailbox API.
import { ConnectorError, type ItemListing } from '../types';

/**
 * Items since `previous` (all when undefined). A delta link the server no longer knows (410)
 * lists the folder afresh, reported as a reset so the engine probes what it already wrote.
 */
export async function deltaListing(previous: string | undefined, delta: (from: string | undefined) => Promise<Omit<ItemListing, 'reset'>>): Promise<ItemListing> {
  try {
    return { ...(await delta(previous)), reset: false };
  } catch (err) {
    const expired = err instanceof ConnectorError && err.code === 'GRAPH-REQUEST' && err.args[0] === '410';
    if (!previous || !expired) throw err;
    return { ...(await delta(undefined)), reset: true };
  }
}
