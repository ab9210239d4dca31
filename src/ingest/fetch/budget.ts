/**
 * What one invocation may still spend: subrequests counted against the platform limit, and
 * the Deferred signal a fetch throws when the run must leave the rest for a later one.
 */

/** Counts subrequests so one invocation never exceeds the platform's limit. */
export class SubrequestBudget {
  used = 0;
  constructor(readonly limit: number) {}
  get remaining(): number {
    return this.limit - this.used;
  }
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }
}

/**
 * Not a failure: the work could not be done in this run (budget or time used up, or the host
 * asked us to wait). The listing keeps its schedule and validators and is first in line later.
 */
export class Deferred extends Error {
  constructor(
    readonly reason: "budget" | "time" | "host-waiting",
    message: string,
  ) {
    super(message);
  }
}

export class BudgetExhausted extends Deferred {
  constructor() {
    super("budget", "subrequest budget used up for this run");
  }
}
