// XML helpers for the fake EWS: a real parser (@xmldom/xmldom, loaded untyped so its
// `/// <reference lib="dom" />` stays out of the project's types) and a small string builder.
/* eslint-disable @typescript-eslint/no-require-imports */

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  m: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  t: 'http://schemas.microsoft.com/exchange/services/2006/types',
  e: 'http://schemas.microsoft.com/exchange/services/2006/errors',
  ad: 'http://schemas.microsoft.com/exchange/2010/Autodiscover',
  wsa: 'http://www.w3.org/2005/08/addressing',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xsd: 'http://www.w3.org/2001/XMLSchema',
  poxReq: 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006',
  poxResp: 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006',
  poxOutlook: 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a',
} as const;

/** The part of the DOM the fake reads. */
export interface XNode {
  nodeType: number;
  localName: string | null;
  namespaceURI: string | null;
  textContent: string | null;
  childNodes: { length: number; [i: number]: XNode };
  getAttribute?(name: string): string | null;
  hasAttribute?(name: string): boolean;
}
export type XElement = XNode & { getAttribute(name: string): string | null; hasAttribute(name: string): boolean };

interface DomParserCtor {
  new (options: { errorHandler: { warning(m: string): void; error(m: string): void; fatalError(m: string): void } }): { parseFromString(s: string, mime: string): XNode & { documentElement: XElement | null } };
}
const { DOMParser } = require('@xmldom/xmldom') as { DOMParser: DomParserCtor };

export class XmlParseError extends Error {}

/** Parses a document strictly: any well-formedness error throws XmlParseError. */
export function parseXml(text: string): XElement {
  const errors: string[] = [];
  const parser = new DOMParser({ errorHandler: { warning: () => undefined, error: (m) => errors.push(m), fatalError: (m) => errors.push(m) } });
  let doc;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (err) {
    throw new XmlParseError(err instanceof Error ? err.message : String(err));
  }
  if (errors.length || !doc.documentElement) throw new XmlParseError(errors[0] ?? 'no document element');
  return doc.documentElement;
}

export function children(el: XNode | undefined, ns?: string, local?: string): XElement[] {
  const out: XElement[] = [];
  if (!el) return out;
  for (let i = 0; i < el.childNodes.length; i++) {
    const c = el.childNodes[i];
    if (c.nodeType !== 1) continue;
    if (ns !== undefined && c.namespaceURI !== ns) continue;
    if (local !== undefined && c.localName !== local) continue;
    out.push(c as XElement);
  }
  return out;
}

export function child(el: XNode | undefined, ns: string, local: string): XElement | undefined {
  return children(el, ns, local)[0];
}

/** Follows a path of [ns, local] steps. */
export function path(el: XNode | undefined, ...steps: Array<[string, string]>): XElement | undefined {
  let cur: XElement | undefined = el as XElement | undefined;
  for (const [ns, local] of steps) cur = child(cur, ns, local);
  return cur;
}

export function text(el: XNode | undefined): string | undefined {
  return el ? (el.textContent ?? '') : undefined;
}

export function attr(el: XElement | undefined, name: string): string | undefined {
  if (!el || !el.hasAttribute(name)) return undefined;
  return el.getAttribute(name) ?? undefined;
}

export function esc(s: string | number | boolean): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<name a="v">children</name>`, or self-closed when there are no children. */
export function el(name: string, attrs: Record<string, string | number | boolean | undefined> | null, ...content: Array<string | undefined | false>): string {
  const a = Object.entries(attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v as string)}"`)
    .join('');
  const body = content.filter((c): c is string => typeof c === 'string').join('');
  return body === '' ? `<${name}${a}/>` : `<${name}${a}>${body}</${name}>`;
}

/** An element holding escaped text; omitted when the value is undefined. */
export function tx(name: string, value: string | number | boolean | undefined, attrs?: Record<string, string | number | boolean | undefined>): string {
  if (value === undefined) return '';
  return `<${name}${Object.entries(attrs ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${esc(v as string)}"`).join('')}>${esc(value)}</${name}>`;
}
