// Derives from Google's published discovery descriptions what the fake Google
// (test/servers/fakeGoogle/) needs to stay within them: for each method the fake serves, its HTTP
// method, path, parameters (type, enum, repeated, required, bounds) and OAuth scopes, and the
// schemas of its request and response bodies with every schema they reach, written compactly to
// test/servers/fakeGoogle/discovery.json (committed, so a fresh clone runs without the sources).
//   node scripts/derive-google-discovery.mjs --from DIR [--check]
// DIR holds gmail.v1.json, calendar.v3.json, people.v1.json and admin.directory_v1.json, as
// published at https://<api>.googleapis.com/$discovery/rest?version=<v> or kept in
// github.com/googleapis/discovery-artifact-manager (discoveries/). `--check` fails when the
// committed file is not what DIR gives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'test/servers/fakeGoogle/discovery.json');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** The methods the fake serves, per discovery document. */
export const SERVED = {
  'gmail.v1': [
    'gmail.users.getProfile',
    'gmail.users.labels.list',
    'gmail.users.labels.get',
    'gmail.users.labels.create',
    'gmail.users.messages.list',
    'gmail.users.messages.get',
    'gmail.users.messages.insert',
    'gmail.users.messages.import',
    'gmail.users.messages.modify',
    'gmail.users.messages.trash',
    'gmail.users.messages.untrash',
    'gmail.users.messages.delete',
    'gmail.users.history.list',
  ],
  'calendar.v3': ['calendar.calendarList.list', 'calendar.events.list', 'calendar.events.get'],
  'people.v1': ['people.people.connections.list'],
  'admin.directory_v1': ['directory.users.list', 'directory.users.get'],
};

const from = arg('--from');
if (!from) {
  console.error('derive-google-discovery: --from DIR (the folder of gmail.v1.json, calendar.v3.json, people.v1.json, admin.directory_v1.json) is required');
  process.exit(2);
}

function methodsOf(resource, out = []) {
  for (const m of Object.values(resource.methods ?? {})) out.push(m);
  for (const r of Object.values(resource.resources ?? {})) methodsOf(r, out);
  return out;
}

/** The schema without descriptions, annotations and other prose. */
function trimSchema(schema) {
  if (Array.isArray(schema)) return schema.map(trimSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' || k === 'enumDescriptions' || k === 'annotations' || k === 'deprecated' || k === 'enumDeprecated' || k === 'readOnly') continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, trimSchema(s)])) : trimSchema(v);
  }
  return out;
}

function refsOf(schema, found) {
  if (typeof schema !== 'object' || schema === null) return;
  if (typeof schema.$ref === 'string') found.add(schema.$ref);
  for (const v of Object.values(schema)) refsOf(v, found);
}

const result = { note: 'Derived by scripts/derive-google-discovery.mjs from Google\'s discovery descriptions; do not edit.', apis: {} };
for (const [file, served] of Object.entries(SERVED)) {
  const doc = JSON.parse(fs.readFileSync(path.join(from, `${file}.json`), 'utf8'));
  const all = new Map(methodsOf(doc).map((m) => [m.id, m]));
  const methods = {};
  const wanted = new Set();
  for (const id of served) {
    const m = all.get(id);
    if (!m) throw new Error(`${file}: no method ${id}`);
    const parameters = Object.fromEntries(
      Object.entries(m.parameters ?? {}).map(([name, p]) => [name, Object.fromEntries(Object.entries({ type: p.type, format: p.format, location: p.location, required: p.required, repeated: p.repeated, enum: p.enum, minimum: p.minimum, maximum: p.maximum, pattern: p.pattern, default: p.default }).filter(([, v]) => v !== undefined))]),
    );
    methods[id] = { httpMethod: m.httpMethod, path: m.flatPath ?? m.path, parameters, scopes: m.scopes ?? [], ...(m.request ? { request: m.request.$ref } : {}), ...(m.response ? { response: m.response.$ref } : {}), ...(m.supportsMediaUpload ? { mediaUpload: m.mediaUpload?.protocols?.simple?.path ?? true } : {}) };
    if (m.request) wanted.add(m.request.$ref);
    if (m.response) wanted.add(m.response.$ref);
  }
  const schemas = {};
  const queue = [...wanted];
  while (queue.length) {
    const name = queue.pop();
    if (schemas[name]) continue;
    if (!doc.schemas[name]) throw new Error(`${file}: no schema ${name}`);
    schemas[name] = trimSchema(doc.schemas[name]);
    const found = new Set();
    refsOf(schemas[name], found);
    for (const r of found) if (!schemas[r]) queue.push(r);
  }
  result.apis[file] = { id: doc.id, revision: doc.revision, servicePath: doc.servicePath, standardParameters: Object.keys(doc.parameters ?? {}).sort(), methods, schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) };
}

const text = `${JSON.stringify(result, null, 1)}\n`;
if (process.argv.includes('--check')) {
  const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (committed !== text) {
    console.error(`derive-google-discovery: ${path.relative(root, target)} is not what ${from} gives; run the script again`);
    process.exit(1);
  }
  console.log('derive-google-discovery: up to date');
} else {
  fs.writeFileSync(target, text);
  console.log(`derive-google-discovery: wrote ${path.relative(root, target)} (${Object.values(result.apis).map((a) => `${a.id} ${a.revision}: ${Object.keys(a.methods).length} methods, ${Object.keys(a.schemas).length} schemas`).join('; ')})`);
}
