// Items from a CSV file named by a batch's `itemsFile`. Every problem points at its CSV line;
// good lines are kept even when others are malformed, so one typo does not hide a whole wave.
// The file is read line by line (RFC 4180 fields, no line breaks inside a field: no column of an
// items file holds one): an unclosed quote then spoils its own line only, where a streaming CSV
// parser would swallow the rest of the file and report the error at its end.
// PLAN-023 args: [lineNo (1-based), detail]
// PLAN-024 args: [column, detail]
// PLAN-020 args: ['column "<name>"']   data: {column, csv: true, secretColumn?}
// PLAN-039 args: [name, where]         data: {name, column}
import type { PlanDiagnostic } from './diagnostic';
import type { AuthSettings, PlanItem } from './model';
import { formatMessage, getEntry } from '../errors/catalog';

export const csvColumns = [
  'source',
  'destination',
  'sourceUsername',
  'sourcePasswordSecret',
  'destinationUsername',
  'destinationPasswordSecret',
  'approveOversize',
] as const;

/** Column names that can only hold a secret value: a plaintext secret by construction. */
const plaintextSecretColumn = /pass(word|wd)?|secret|token|api_?key|private_?key/i;
const secretName = /^[A-Za-z0-9_.-]+$/;
const truthy = /^(true|yes|y|1)$/i;
const falsy = /^(false|no|n|0)$/i;

export interface CsvItemsResult {
  items: PlanItem[];
  diagnostics: PlanDiagnostic[];
  /** Header line fields, for completion and fixes. */
  header: string[];
}

function lineRange(line: number, length: number) {
  return { start: { line, character: 0 }, end: { line, character: length } };
}

/** Splits one CSV line into trimmed fields, or says why it cannot. */
export function splitCsvLine(text: string): { fields: string[] } | { error: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === '"') {
      const opening = i;
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return { error: `the quote opened at column ${opening + 1} is never closed` };
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (i < text.length && text[i] !== ',') return { error: `unexpected text after the closing quote at column ${i + 1}` };
      fields.push(value);
    } else {
      const comma = text.indexOf(',', i);
      const raw = text.slice(i, comma === -1 ? text.length : comma);
      const quote = raw.indexOf('"');
      if (quote !== -1) return { error: `a quote at column ${i + quote + 1} inside a field that does not start with one (quote the whole field and double the quote)` };
      fields.push(raw.trim());
      i = comma === -1 ? text.length : comma;
    }
    if (i >= text.length) return { fields };
    i++; // the comma
  }
}

export function parseItemsCsv(file: string, text: string): CsvItemsResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const diagnostics: PlanDiagnostic[] = [];
  const items: PlanItem[] = [];
  const report = (line: number, code: string, args: string[], data?: Record<string, unknown>) =>
    diagnostics.push({
      file,
      range: lineRange(line, lines[line]?.length ?? 0),
      severity: getEntry(code)?.severity ?? 'error',
      code,
      message: formatMessage(code, args),
      ...(data ? { data } : {}),
    });

  const rows: { fields: string[]; line: number }[] = [];
  lines.forEach((content, line) => {
    const trimmed = content.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const split = splitCsvLine(content);
    if ('error' in split) report(line, 'PLAN-023', [String(line + 1), split.error], { line: line + 1 });
    else rows.push({ fields: split.fields, line });
  });
  const headerRow = rows.shift();
  if (!headerRow) {
    report(0, 'PLAN-024', ['source', 'the file has no header line (it is empty)']);
    return { items, diagnostics, header: [] };
  }
  const header = headerRow.fields;
  const headerLine = headerRow.line;
  const known = new Set<string>(csvColumns);
  // Spreadsheets capitalise headers; the column names are matched without regard to case.
  const columns = header.map((c) => csvColumns.find((k) => k.toLowerCase() === c.toLowerCase()) ?? c);
  // First index of each column, looked up once: a header of thousands of columns stays linear.
  const firstIndex = new Map<string, number>();
  columns.forEach((column, index) => {
    if (!firstIndex.has(column)) firstIndex.set(column, index);
  });
  columns.forEach((column, index) => {
    if (firstIndex.get(column) !== index) {
      report(headerLine, 'PLAN-024', [column, 'the column appears twice'], { column });
    } else if (known.has(column)) {
      return;
    } else if (plaintextSecretColumn.test(column)) {
      const side = /^destination/i.test(column) ? 'destination' : /^source/i.test(column) ? 'source' : undefined;
      report(headerLine, 'PLAN-020', [`column "${column}"`], { column, csv: true, ...(side ? { secretColumn: `${side}PasswordSecret` } : {}) });
    } else {
      const semicolons = header.length === 1 && column.includes(';') ? '; the file looks semicolon-separated, and Ferry reads comma-separated values' : '';
      report(headerLine, 'PLAN-024', [column, `unknown column${semicolons}; the columns are ${csvColumns.join(', ')}`], { column });
    }
  });
  const col = (name: string) => firstIndex.get(name) ?? -1;
  if (col('source') === -1) {
    report(headerLine, 'PLAN-024', ['source', 'the required column is missing'], { column: 'source' });
    return { items, diagnostics, header };
  }
  for (const { fields, line } of rows) {
    if (fields.length !== header.length) {
      report(line, 'PLAN-023', [String(line + 1), `expected ${header.length} fields, found ${fields.length}`], { line: line + 1 });
      continue;
    }
    const get = (name: string): string | undefined => {
      const i = col(name);
      return i === -1 || fields[i] === '' ? undefined : fields[i];
    };
    const source = get('source');
    if (!source) {
      report(line, 'PLAN-023', [String(line + 1), 'the source address is empty'], { line: line + 1 });
      continue;
    }
    const auth = (side: 'source' | 'destination'): AuthSettings | undefined => {
      const username = get(`${side}Username`);
      const secret = get(`${side}PasswordSecret`);
      if (secret !== undefined && !secretName.test(secret)) {
        report(line, 'PLAN-039', [secret, `${side}PasswordSecret on line ${line + 1}`], { name: secret, column: `${side}PasswordSecret` });
      }
      if (!username) {
        // Without a user name the secret would be dropped silently and the endpoint's login used.
        if (secret !== undefined) report(line, 'PLAN-023', [String(line + 1), `${side}PasswordSecret is set but ${side}Username is empty`], { line: line + 1 });
        return undefined;
      }
      return { username, ...(secret ? { password: { secret } } : {}) };
    };
    const approve = get('approveOversize');
    if (approve !== undefined && !truthy.test(approve) && !falsy.test(approve)) {
      report(line, 'PLAN-023', [String(line + 1), `approveOversize is "${approve}"; use true or false`], { line: line + 1 });
    }
    items.push({
      source,
      destination: get('destination'),
      sourceAuth: auth('source'),
      destinationAuth: auth('destination'),
      approveOversize: approve !== undefined && truthy.test(approve),
      origin: { kind: 'csv', file, line, range: lineRange(line, lines[line].length) },
    });
  }
  return { items, diagnostics, header };
}
