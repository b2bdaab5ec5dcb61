// The production connector lookup: the registry's connectors, loaded on first use. Under a test's
// FERRY_HOLD_AT (store/holdPoint.ts) a source's reads pass the hold point `source.read`, so a test
// can hold a pass at a known item (before stopping or killing it) instead of racing it.
import type { ConnectorLookup } from '../engine/context';
import type { Connector, SourceMailbox } from '../connectors/types';
import { getConnector, hasConnector } from '../connectors/registry';
import { holdPoint } from '../store/holdPoint';

/**
 * The source itself but for `readItem`, which passes the hold point first. Every other member,
 * optional ones included, is the source's own (a copied list of them had missed one).
 */
function heldSource(source: SourceMailbox): SourceMailbox {
  const readItem: SourceMailbox['readItem'] = async (folder, ref, signal) => {
    await holdPoint('source.read');
    return source.readItem(folder, ref, signal);
  };
  return new Proxy(source, {
    get(target, key) {
      if (key === 'readItem') return readItem;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function held(connector: Connector): Connector {
  return { ...connector, openSource: async (request) => heldSource(await connector.openSource(request)) };
}

export const registryConnectors: ConnectorLookup = async (kind) => {
  if (!hasConnector(kind)) return undefined;
  const connector = await getConnector(kind);
  return process.env.FERRY_HOLD_AT ? held(connector) : connector;
};
