// Derives from Microsoft Graph's v1.0 CSDL (../shared/reference/microsoft-graph/v1.0-metadata.xml,
// MIT) what the fake Microsoft 365 needs to stay within v1.0: the entity and complex types it
// serves, with every property (name, type, nullability), base type and navigation property, plus
// the types those properties use (complex types and enumerations), written compactly to
// test/servers/fakeM365/graphMetadata.json (committed, so a fresh clone without ../shared runs).
//   node scripts/derive-graph-metadata.mjs [--csdl PATH] [--check]
// `--check` fails when the committed file is not what the CSDL gives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'test/servers/fakeM365/graphMetadata.json');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const csdlPath = arg('--csdl') ?? path.resolve(root, '..', 'shared', 'reference', 'microsoft-graph', 'v1.0-metadata.xml');

/** The types the fake serves (responses) and reads (request bodies); their closure is added. */
export const SERVED = [
  'user',
  'mailFolder',
  'message',
  'singleValueLegacyExtendedProperty',
  'multiValueLegacyExtendedProperty',
  'mailboxSettings',
  'exchangeSettings',
  'contact',
  'contactFolder',
  'calendar',
  'event',
  'todoTaskList',
  'todoTask',
  'linkedResource',
  'mailbox',
  'mailboxFolder',
  'mailboxItem',
  'exportItemResponse',
  'mailboxItemImportSession',
];

const attrs = (tag) => Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
/** 'graph.x' or 'microsoft.graph.x' -> 'x'; Edm types and other namespaces unchanged. */
const local = (t) => t.replace(/^(graph|microsoft\.graph)\.(?=[^.]+$)/, '');

/** The types of the `microsoft.graph` schema: { kind, base?, abstract?, open?, properties, navigation } or { kind: 'enum', members }. */
export function parseCsdl(xml) {
  const start = xml.indexOf('<Schema Namespace="microsoft.graph"');
  const end = xml.indexOf('</Schema>', start);
  const schema = xml.slice(start, end);
  const types = {};
  for (const m of schema.matchAll(/<(EntityType|ComplexType)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g)) {
    const a = attrs(m[2]);
    const body = m[4] ?? '';
    const properties = {};
    for (const p of body.matchAll(/<Property\b([^>]*?)\/?>/g)) {
      const pa = attrs(p[1]);
      properties[pa.Name] = { type: local(pa.Type.replace(/^Collection\((.*)\)$/, '$1')), ...(pa.Type.startsWith('Collection(') ? { collection: true } : {}), ...(pa.Nullable === 'false' ? { nullable: false } : {}) };
    }
    const navigation = {};
    for (const p of body.matchAll(/<NavigationProperty\b([^>]*?)\/?>/g)) {
      const pa = attrs(p[1]);
      navigation[pa.Name] = { type: local(pa.Type.replace(/^Collection\((.*)\)$/, '$1')), ...(pa.Type.startsWith('Collection(') ? { collection: true } : {}) };
    }
    types[a.Name] = { kind: m[1] === 'EntityType' ? 'entity' : 'complex', ...(a.BaseType ? { base: local(a.BaseType) } : {}), ...(a.Abstract === 'true' ? { abstract: true } : {}), ...(a.OpenType === 'true' ? { open: true } : {}), properties, navigation };
  }
  for (const m of schema.matchAll(/<EnumType\b([^>]*?)>([\s\S]*?)<\/EnumType>/g)) {
    const a = attrs(m[1]);
    types[a.Name] = { kind: 'enum', ...(a.IsFlags === 'true' ? { flags: true } : {}), members: [...m[2].matchAll(/<Member Name="([^"]+)"/g)].map((x) => x[1]) };
  }
  return types;
}

/** The served types and everything they need: base types, derived types of served ones, property types. */
export function derive(types) {
  const out = {};
  const queue = [...SERVED];
  while (queue.length) {
    const name = queue.shift();
    if (out[name] || !types[name]) continue;
    const t = types[name];
    out[name] = t;
    if (t.base) queue.push(t.base);
    for (const p of Object.values(t.properties ?? {})) if (!p.type.startsWith('Edm.')) queue.push(p.type);
  }
  // Sorted keys: the file diffs cleanly when Microsoft's CSDL changes.
  const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
  return { source: 'Microsoft Graph v1.0 CSDL (microsoftgraph/msgraph-metadata, clean_v10_metadata/cleanMetadata.xml), MIT', served: SERVED, types: sorted };
}

const render = (value) => `${JSON.stringify(value, null, 1)}\n`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!fs.existsSync(csdlPath)) {
    console.error(`no CSDL at ${csdlPath} (pass --csdl PATH)`);
    process.exit(2);
  }
  const text = render(derive(parseCsdl(fs.readFileSync(csdlPath, 'utf8'))));
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(root, target)} is not what ${csdlPath} gives: run node scripts/derive-graph-metadata.mjs`);
      process.exit(1);
    }
  } else {
    fs.writeFileSync(target, text);
    console.log(`wrote ${path.relative(root, target)}`);
  }
}
