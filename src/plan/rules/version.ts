// PLAN-002: only plan format 1 exists; a newer file needs a newer Ferry, not a schema error.
// PLAN-002 args: [version, supportedVersion]   data: {path: 'version', version}
import { root } from './located';
import type { Rule } from './ruleContext';

export const supportedVersion: Rule = (ctx) => {
  const version = root(ctx).version;
  if (typeof version !== 'number' || version === 1) return; // a string is the schema's type error
  ctx.report({ code: 'PLAN-002', args: [String(version), '1'], path: ['version'], data: { version }, coversSchema: true });
};
