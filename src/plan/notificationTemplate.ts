// A notification template as a plan names it: a text file whose first line is `Subject: ...`, then
// a blank line, then the body. `{{name}}` placeholders are filled in when a message is made.
// Read by the plan rule (PLAN-052) and by the notifier, so both agree on what a template is.

export interface NotificationTemplate {
  subject: string;
  body: string;
}

/** Notification templates are small; a larger file is refused (PLAN-052). */
export const templateLimitBytes = 64 * 1024;

/** The template in `text`, or why it is not one. */
export function parseTemplate(text: string): NotificationTemplate | { problem: string } {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const [first, ...rest] = normalized.split('\n');
  const m = /^Subject:[ \t]*(.*\S)[ \t]*$/i.exec(first ?? '');
  if (!m) return { problem: "does not start with a 'Subject: ...' line" };
  while (rest.length && rest[0].trim() === '') rest.shift();
  return { subject: m[1], body: rest.join('\n') };
}

/** Fills `{{name}}` from values; an unknown name stays as written, so a typo shows in the message. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}
