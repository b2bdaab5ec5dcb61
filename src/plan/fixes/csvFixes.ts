// Fixes in an items CSV file's header: a misspelt column renamed to the one Ferry knows.
import { csvColumns } from '../csvItems';
import { bySimilarity, levenshtein } from './similarity';
import { str, type FixProvider } from './fixTypes';

/** Header names people use for the source address when they do not know Ferry's column name. */
const sourceAliases = /^(source(address|mailbox|email)?|src|email|e-?mail ?address|mailbox|address|user(name)?|upn)$/i;

export const addCsvColumn: FixProvider = ({ text, diagnostic, inCsv }) => {
  if (!inCsv) return [];
  const lineEnd = text.search(/\r?\n/);
  const header = text.slice(0, lineEnd === -1 ? text.length : lineEnd);
  const columns = header.split(',');
  const column = str(diagnostic.data?.column);
  const renameAt = (index: number, to: string) => {
    const start = columns.slice(0, index).reduce((n, c) => n + c.length + 1, 0);
    const end = start + columns[index].length;
    return { range: { start: { line: 0, character: start }, end: { line: 0, character: end } }, newText: to };
  };
  const present = new Set(columns.map((c) => c.trim().toLowerCase()));
  if (column === 'source' && !present.has('source')) {
    const index = columns.findIndex((c) => sourceAliases.test(c.trim()) && !csvColumns.some((k) => k.toLowerCase() === c.trim().toLowerCase()));
    return index === -1 ? [] : [{ title: `Rename column '${columns[index].trim()}' to 'source'`, code: diagnostic.code, edits: [renameAt(index, 'source')], isPreferred: true }];
  }
  if (!column) return [];
  const index = columns.findIndex((c) => c.trim() === column);
  if (index === -1) return [];
  const closest = bySimilarity(csvColumns.filter((k) => !present.has(k.toLowerCase())), column)[0];
  if (!closest || levenshtein(closest.toLowerCase(), column.toLowerCase()) > 3) return [];
  return [{ title: `Rename column '${column}' to '${closest}'`, code: diagnostic.code, edits: [renameAt(index, closest)], isPreferred: true }];
};
