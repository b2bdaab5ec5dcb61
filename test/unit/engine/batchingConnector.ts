// The memory connector with writeItems on its destinations (a batch stored all at once), with hooks
// to refuse a batch, cut it after it was stored, or refuse one message written alone.
import type { ConnectorError, Connector, DestinationMailbox, ItemContent } from '../../../src/connectors/types';
import type { MemoryWorld } from './memoryConnector';

export interface BatchHooks {
  /** Sizes of the batches written (and attempted). */
  batches: number[];
  /** Return an error to refuse a batch before anything is stored. */
  refuse?: (contents: readonly ItemContent[]) => ConnectorError | undefined;
  /** Return an error to throw after the batch was stored (a reply lost with the connection). */
  afterStore?: (batch: number) => Error | undefined;
  /** Return an error to refuse one message written alone. */
  refuseOne?: (content: ItemContent) => ConnectorError | undefined;
}

/** The memory connector with writeItems on its destinations, storing a batch all at once. */
export function batchingConnector(world: MemoryWorld, hooks: BatchHooks): Connector {
  const base = world.connector();
  let next = 1;
  return {
    ...base,
    async openDestination(request): Promise<DestinationMailbox> {
      const destination = await base.openDestination(request);
      return {
        ...destination,
        writeItem: async (folder, content, signal) => {
          const refused = hooks.refuseOne?.(content);
          if (refused) throw refused;
          return destination.writeItem(folder, content, signal);
        },
        writeItems: async (folder, contents) => {
          hooks.batches.push(contents.length);
          const refused = hooks.refuse?.(contents);
          if (refused) throw refused;
          const messages = world.mailboxes.get(request.mailbox)!.get(folder.id)!.messages;
          const written = contents.map((c) => {
            const m = { id: `b${next++}`, data: c.data, date: c.date, flags: c.flags };
            messages.push(m);
            return { id: m.id };
          });
          const after = hooks.afterStore?.(hooks.batches.length);
          if (after) throw after;
          return written;
        },
      };
    },
  };
}
