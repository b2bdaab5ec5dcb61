// `Prefer: IdType="ImmutableId"` on every Graph request (a header applies only to the request that
// carries it): item ids Ferry records then survive a user moving the item to another folder during
// the migration, instead of the item being missed or copied again ("Obtain immutable identifiers
// for Outlook resources"). Other preferences a request sets (odata.maxpagesize) are kept.
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

export const IMMUTABLE_IDS = 'IdType="ImmutableId"';

/** A Prefer header value with the immutable-id preference added. */
export function withImmutableIds(prefer: string | null | undefined): string {
  if (prefer && /IdType\s*=/i.test(prefer)) return prefer;
  return prefer ? `${prefer}, ${IMMUTABLE_IDS}` : IMMUTABLE_IDS;
}

export class ImmutableIdsHandler implements Middleware {
  private next: Middleware | undefined;

  async execute(context: Context): Promise<void> {
    const options = (context.options ??= {});
    const headers = options.headers;
    if (headers instanceof Headers) headers.set('Prefer', withImmutableIds(headers.get('Prefer')));
    else if (Array.isArray(headers)) options.headers = [...headers.filter(([k]) => k.toLowerCase() !== 'prefer'), ['Prefer', withImmutableIds(headers.find(([k]) => k.toLowerCase() === 'prefer')?.[1])]];
    else {
      const record = { ...(headers ?? {}) } as Record<string, string>;
      const key = Object.keys(record).find((k) => k.toLowerCase() === 'prefer') ?? 'Prefer';
      record[key] = withImmutableIds(record[key]);
      options.headers = record;
    }
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
