// The production connector lookup: the registry's connectors, loaded on first use. Under a test's
// FERRY_HOLD_AT (store/holdPoint.ts) a source's reads pass the hold point `source.read`, so a test
// can hold a pass at a known item (before stopping or killing it) instead of racing it.
import type { ConnectorLookup } from '../engine/context';
import type { Connector, SourceMailbox } from '../connectors/types';
import { getConnector, hasConnector } from '../connectors/registry';
import { holdPoint } from '../store/holdPoint';

function heldSource(source: SourceMailbox): SourceMailbox {
  return {
    listFolders: () => source.listFolders(),
    listItems: (folder, cursor, signal) => source.listItems(folder, cursor, signal),
    ...(source.listItemWindows ? { listItemWindows: source.listItemWindows.bind(source) } : {}),
    ...(source.listChanges ? { listChanges: source.listChanges.bind(source) } : {}),
    ...(source.moveStableIds ? { moveStableIds: source.moveStableIds } : {}),
    ...(source.readMoveKeys ? { readMoveKeys: source.readMoveKeys.bind(source) } : {}),
    ...(source.prepareReads ? { prepareReads: source.prepareReads.bind(source) } : {}),
    readItem: async (folder, ref, signal) => {
      await holdPoint('source.read');
      return source.readItem(folder, ref, signal);
    },
    close: () => source.close(),
  };
}

function held(connector: Connector): Connector {
  return { ...connector, openSource: async (request) => heldSource(await connector.openSource(request)) };
}

export const registryConnectors: ConnectorLookup = async (kind) => {
  if (!hasConnector(kind)) return undefined;
  const connector = await getConnector(kind);
  return process.env.FERRY_HOLD_AT ? held(connector) : connector;
};
