// options.notifications: every template the plan names is a readable file in the plan folder that
// starts with a Subject line (PLAN-052); a template Ferry cannot use would leave a message unsent.
// PLAN-052 args: [template as written, reason]
import { notificationEvents } from '../model';
import { parseTemplate } from '../notificationTemplate';
import { at, isObj, root } from './located';
import type { Rule } from './ruleContext';

export const notificationTemplates: Rule = (ctx) => {
  const notifications = at(root(ctx), 'options', 'notifications');
  if (!isObj(notifications)) return;
  const named: { written: unknown; path: (string | number)[] }[] = [];
  if (isObj(notifications.templates)) {
    for (const event of notificationEvents) named.push({ written: notifications.templates[event], path: ['options', 'notifications', 'templates', event] });
  }
  if (isObj(notifications.endUsers)) named.push({ written: notifications.endUsers.template, path: ['options', 'notifications', 'endUsers', 'template'] });
  for (const { written, path } of named) {
    if (typeof written !== 'string' || !written) continue;
    const read = ctx.readTextFile(written);
    const parsed = read.ok ? parseTemplate(read.text) : undefined;
    const problem = !read.ok ? `cannot be read: ${read.reason}` : parsed && 'problem' in parsed ? parsed.problem : undefined;
    if (problem) ctx.report({ code: 'PLAN-052', args: [written, problem], path });
  }
};
