// Finds the official EWS schemas (never committed) and validates documents against them with
// xmllint, through the small committed envelope schema in ./xsd.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const NO_XSD_MESSAGE = 'official EWS XSDs not found (set FERRY_EWS_XSD_DIR)';

function hasSchemas(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'messages.xsd')) && fs.existsSync(path.join(dir, 'types.xsd'));
}

/**
 * The folder holding messages.xsd and types.xsd: $FERRY_EWS_XSD_DIR, then <root>/.cache/ews-xsd,
 * then anywhere under <root>/node_modules/ews-javascript-api, then extracted from the git mirror
 * <root>/../.mirror/gautamsi+ews-javascript-api/repo into <root>/.cache/ews-xsd. Undefined: none.
 */
export function findEwsXsdDir(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.FERRY_EWS_XSD_DIR;
  if (fromEnv && hasSchemas(fromEnv)) return path.resolve(fromEnv);
  const cache = path.join(root, '.cache', 'ews-xsd');
  if (hasSchemas(cache)) return cache;
  const lib = path.join(root, 'node_modules', 'ews-javascript-api');
  const stack = fs.existsSync(lib) ? [lib] : [];
  while (stack.length) {
    const dir = stack.pop()!;
    if (hasSchemas(dir)) return dir;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory() && e.name !== 'node_modules') stack.push(path.join(dir, e.name));
  }
  const mirror = path.join(root, '..', '.mirror', 'gautamsi+ews-javascript-api', 'repo');
  if (!fs.existsSync(mirror)) return undefined;
  try {
    const files = ['messages.xsd', 'types.xsd'].map((f) => [f, execFileSync('git', ['--git-dir', mirror, 'show', `HEAD:src/js/SchemaXML/${f}`], { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] })] as const);
    fs.mkdirSync(cache, { recursive: true });
    for (const [f, content] of files) fs.writeFileSync(path.join(cache, f), content);
    return hasSchemas(cache) ? cache : undefined;
  } catch {
    return undefined;
  }
}

export function xmllintAvailable(): boolean {
  return spawnSync('xmllint', ['--version']).status === 0;
}

function fileUrl(p: string): string {
  return `file://${path.resolve(p).split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** Writes the driver schema (committed envelope + xml.xsd, official messages.xsd) into a temp folder. */
export function writeDriverSchema(xsdDir: string, into = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-xsd-'))): string {
  const own = path.join(__dirname, 'xsd');
  const template = fs.existsSync(path.join(own, 'driver.xsd.template')) ? own : path.resolve(__dirname, '..', '..', '..', '..', 'test', 'servers', 'fakeEws', 'xsd');
  const driver = fs.readFileSync(path.join(template, 'driver.xsd.template'), 'utf8')
    .replace('@XML_XSD@', fileUrl(path.join(template, 'xml.xsd')))
    .replace('@ENVELOPE_XSD@', fileUrl(path.join(template, 'soap11-envelope.xsd')))
    .replace('@MESSAGES_XSD@', fileUrl(path.join(xsdDir, 'messages.xsd')));
  const file = path.join(into, 'driver.xsd');
  fs.writeFileSync(file, driver);
  return file;
}

/** Validates documents (SOAP envelopes) with xmllint; returns the files that failed and why. */
export function validateEnvelopes(xsdDir: string, files: string[]): { validated: number; errors: string[] } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-xsd-'));
  const driver = writeDriverSchema(xsdDir, tmp);
  const res = spawnSync('xmllint', ['--noout', '--nonet', '--schema', driver, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  fs.rmSync(tmp, { recursive: true, force: true });
  const lines = res.stderr.split('\n').filter(Boolean);
  const validated = lines.filter((l) => / validates$/.test(l)).length;
  const errors = lines.filter((l) => !/ validates$/.test(l));
  if (res.status !== 0 && errors.length === 0) errors.push(`xmllint exited ${res.status ?? res.signal}`);
  return { validated, errors };
}
