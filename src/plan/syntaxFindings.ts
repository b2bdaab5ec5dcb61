// YAML syntax errors as plan findings (PLAN-001), placed where the problem starts: the library
// reports an unclosed quote where the text ends, but the operator has to look at the quote.
import { visit, type YAMLError } from 'yaml';
import type { Range } from './diagnostic';
import type { PlanYaml } from './yamlDocument';

export interface SyntaxFinding {
  range: Range;
  /** The library's message, or Ferry's plainer wording of it. */
  message: string;
}

/** The quoted scalar an unclosed-quote error is about: the one that runs on to where the error is reported. */
function unclosedQuote(yaml: PlanYaml, error: YAMLError): number | undefined {
  const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1];
  if (error.code !== 'MISSING_CHAR' || !quote) return undefined;
  const type = quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
  let start: number | undefined;
  visit(yaml.doc, {
    Scalar(_key, node) {
      const r = node.range;
      if (node.type === type && r && r[0] < error.pos[0] && r[1] >= error.pos[0] && (start === undefined || r[0] > start)) start = r[0];
    },
  });
  return start;
}

export function syntaxFinding(yaml: PlanYaml, error: YAMLError): SyntaxFinding {
  const opened = unclosedQuote(yaml, error);
  if (opened !== undefined) {
    const lineEnd = yaml.text.indexOf('\n', opened);
    const end = lineEnd === -1 ? yaml.text.length : lineEnd;
    const quote = yaml.text[opened];
    const line = yaml.position(opened).line + 1;
    return { range: yaml.range(opened, Math.max(end, opened + 1)), message: `the quote ${quote} opened on line ${line} is never closed, so everything after it up to the end of the file is read as one value; add the closing ${quote}` };
  }
  return { range: yaml.range(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)), message: error.message.split('\n')[0] };
}
