// A bound on how long validation runs. Validation is synchronous, so it checks the clock between
// its steps (parse, each items file, each batch, the schema, each rule); every step is itself
// bounded by the size limits, so an overrun ends at the next check with PLAN-048, not a hang.

export class ValidationOverrun extends Error {
  constructor(readonly stage: string) {
    super(`validation stopped at its deadline while ${stage}`);
    this.name = 'ValidationOverrun';
  }
}

export class Deadline {
  private readonly end: number;

  constructor(readonly ms: number, private readonly clock: () => number = () => performance.now()) {
    this.end = clock() + ms;
  }

  /** Throws ValidationOverrun once the time is up; `stage` says what was being done. */
  check(stage: string): void {
    if (this.clock() >= this.end) throw new ValidationOverrun(stage);
  }
}
