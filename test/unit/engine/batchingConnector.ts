// The memory connector with writeItems on its destinations (a batch stored all at once), with hooks
// to refuse a batch, cut it after it was stored, or refuse one message written alone.
import type { ConnectorError, Connector, DestinationMailbox, ItemContent, SourceMailbox } from '../../../src/connectors/types';
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
  /**
   * The source's releaseContents: with it, the source reads copies of its messages and the
   * destination stores copies of what it is given (as a server does), so a hook that overwrites
   * released contents (memory reused) shows what was released too early.
   */
  release?: (contents: readonly ItemContent[]) => void;
}

/** The memory connector with writeItems on its destinations, storing a batch all at once. */
export function batchingConnector(world: MemoryWorld, hooks: BatchHooks): Connector {
  const base = world.connector();
  let next = 1;
  return {
    ...base,
    async openSource(request): Promise<SourceMailbox> {
      const source = await base.openSource(request);
      const release = hooks.release;
      if (!release) return source;
      return Object.assign(Object.create(source) as SourceMailbox, {
        readItem: async (...args: Parameters<SourceMailbox['readItem']>) => {
          const content = await source.readItem(...args);
          return { ...content, data: Buffer.from(content.data) };
        },
        releaseContents: release,
      });
    },
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
          // As a socket: the bytes are taken after writeItems returned its promise.
          if (hooks.release) await new Promise(setImmediate);
          const messages = world.mailboxes.get(request.mailbox)!.get(folder.id)!.messages;
          const written = contents.map((c) => {
            const m = { id: `b${next++}`, data: hooks.release ? Buffer.from(c.data) : c.data, date: c.date, flags: c.flags };
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
