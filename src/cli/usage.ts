// Exit codes and usage text shared by every subcommand.
export const ExitCode = { ok: 0, failed: 1, usage: 2, completedWithErrors: 3 } as const;

export class UsageError extends Error {}

export const usage = `Usage: ferry <command> [options]

Commands:
  validate <file...> [--format text|json]   check plans (YAML, schema, rules); exit 1 on errors
  init [dir] [--force]                      write a commented sample project into dir (default .)
  help                                      show this text
  version                                   print Ferry's version

Secrets named in a plan ({ secret: NAME }) are read from FERRY_SECRET_<NAME>
(NAME upper-cased, every other character replaced by _).`;
