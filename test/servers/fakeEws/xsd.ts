// Finds the official EWS schemas (reference material in ../shared, never committed) and validates
// documents against them with xmllint, through the small committed envelope schema in ./xsd.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireShared, sharedPath, skipWith } from '../../unit/helpers/sharedReference';

/** The official schemas' folder under ../shared (test/unit/helpers/sharedReference.ts). */
export const EWS_XSD = 'reference/ews';

/**
 * In a mocha hook or test: the folder holding the official messages.xsd and types.xsd, or skips
 * with one line saying why (a fresh clone has no ../shared; a machine without xmllint).
 */
export function requireEwsSchemas(ctx: Mocha.Context): string {
  const dir = requireShared(ctx, `${EWS_XSD}/messages.xsd`);
  if (spawnSync('xmllint', ['--version']).status !== 0) skipWith(ctx, 'skipped: xmllint not installed (Debian: libxml2-utils)');
  return path.dirname(dir);
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

/**
 * Validates one request as Exchange does before it runs it: the first schema error, or undefined
 * when the request is valid (the fake answers ErrorSchemaValidation with it).
 */
export function requestSchemaError(xsdDir: string, request: string): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-request-'));
  try {
    const file = path.join(dir, 'request.xml');
    fs.writeFileSync(file, request);
    const { errors } = validateEnvelopes(xsdDir, [file]);
    return errors.find((e) => !/fails to validate$/.test(e)) ?? errors[0];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The official schemas' folder when ../shared has them and xmllint is installed (else undefined: a fresh clone). */
export function ewsSchemasIfPresent(): string | undefined {
  const found = sharedPath(`${EWS_XSD}/messages.xsd`);
  return 'path' in found && spawnSync('xmllint', ['--version']).status === 0 ? path.dirname(found.path) : undefined;
}
