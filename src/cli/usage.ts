// Exit codes and usage text shared by every subcommand.
export const ExitCode = { ok: 0, failed: 1, usage: 2, completedWithErrors: 3 } as const;

export class UsageError extends Error {}

export const usage = `Usage: ferry <command> [options]

Commands:
  validate <file...> [--format text|json]   check plans (YAML, schema, rules); exit 1 on errors
  init [dir] [--force]                      write a commented sample project into dir (default .)
  run <file> --pass PASS [--batch NAME] [--item ADDRESS] [--state DIR] [--json] [--detach]
                                            run a pass: verify, trial, prestage, full, delta or retry;
                                            exit 0 all completed, 3 completed with errors, 1 failed
                                            (distributed mode: enqueue it and follow it, or --detach)
  worker [--concurrency N] [--lease SECONDS] [--project PLAN]...
                                            distributed mode: run the queued mailbox jobs until
                                            SIGTERM/Ctrl-C (mailboxes in flight finish first)
  status [file] [--state DIR] [--json]      batches, mailboxes and passes as the store has them, and
                                            each batch's next scheduled action (ferry serve)
  plan <file> [--pass PASS] [--batch NAME] [--item ADDRESS] [--state DIR] [--json]
                                            what the next pass would do, without connecting
  report <file> [--format md|csv|json] [--out DIR] [--state DIR]
                                            statistics per batch and mailbox, errors by code
  stop [file] [--state DIR] [--wait SECONDS]
                                            stop the runner that owns the state folder, cleanly
  restore [file] [--state DIR]              put back the backup of the state database Ferry keeps
                                            (after each pass) when it is damaged (STORE-010)
  approve <file> [--batch NAME] [--item ADDRESS] [--state DIR]
                                            approve mailboxes above mailboxQuotaGB
  export <file> [--batch NAME] [--out DIR] [--delivery-domain DOMAIN]
                                            write each batch as Exchange Online migration-batch input:
                                            NAME.csv (EmailAddress column; Username for Google Workspace)
                                            and NAME.ps1 (New-MigrationBatch with -SourceEndpoint,
                                            -CSVData, -TargetDeliveryDomain,
                                            -StartAfter/-CompleteAfter, -NotificationEmails from the plan)
  discover <file> [--endpoint NAME] [--json]
                                            list the mailboxes an endpoint holds (Maildir folder,
                                            Exchange address book, Microsoft 365 or Google Workspace
                                            directory), marking those a batch already lists (default:
                                            the plan's source)
  fidelity <source.eml> <copy.eml> [--json]
                                            what a copied message kept, field by field; exit 3
                                            when something was not kept
  serve <file> [--state DIR] [--look DURATION] [--git-pull DURATION]
                                            run the project by itself: start batches at startAfter,
                                            sync Synced batches every options.syncInterval, complete
                                            them at completeAfter, send notifications (FERRY_SMTP_*);
                                            SIGTERM stops it cleanly
  complete <file> <batch> [--yes] [--state DIR] [--json]
                                            final delta, then Completed (asks first; --yes to confirm)
  delete <file> <batch> [--yes] [--state DIR]
                                            delete a batch's run state; final states only (HTTP 409)
  schedule <file> pause|resume|skip|now <batch> [--state DIR]
                                            pause or resume what ferry serve does with a batch, skip
                                            its next run, or run it now
  help                                      show this text
  version                                   print Ferry's version

Run state lives in .ferry/ beside the plan (--state DIR overrides); one runner owns it at a time.
Distributed mode (FERRY_DATABASE_URL for the state, FERRY_REDIS_URL for the queue; passwords from
FERRY_DATABASE_PASSWORD_FILE / FERRY_DATABASE_PASSWORD_SECRET and the REDIS ones): the state is in
PostgreSQL and run, status, report and stop use it; \`ferry worker\` processes run the mailboxes.
Secrets named in a plan ({ secret: NAME }) are read from FERRY_SECRET_<NAME>
(NAME upper-cased, every other character replaced by _).`;
