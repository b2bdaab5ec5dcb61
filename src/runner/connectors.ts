// The production connector lookup: the registry's connectors, loaded on first use.
import type { ConnectorLookup } from '../engine/context';
import { getConnector, hasConnector } from '../connectors/registry';

export const registryConnectors: ConnectorLookup = async (kind) => (hasConnector(kind) ? getConnector(kind) : undefined);
