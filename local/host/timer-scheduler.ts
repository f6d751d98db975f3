/**
 * Timer triggers on NCRONTAB schedules (six fields, seconds first), with `runOnStartup` and the
 * host's singleton behaviour: a run that is still going makes the next occurrence wait, not overlap.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Registration } from './functions-core-shim.js';

export interface TimerJob {
  readonly registration: Registration;
  readonly triggerName: string;
  readonly schedule: string;
  readonly runOnStartup: boolean;
}

/** Resolves `%APP_SETTING%` like the host does, and checks the expression is NCRONTAB. */
export function resolveSchedule(raw: string, env: NodeJS.ProcessEnv): string {
  const resolved = raw.replace(/^%(\w+)%$/, (_m, name: string) => {
    const value = env[name];
    if (!value) throw new Error(`Timer schedule refers to app setting ${name}, which is not set.`);
    return value;
  });
  const fields = resolved.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(`Timer schedule "${resolved}" must have six NCRONTAB fields ({second} {minute} {hour} {day} {month} {day-of-week}).`);
  }
  CronExpressionParser.parse(resolved);
  return resolved;
}

export function collectTimerJobs(registrations: readonly Registration[], env: NodeJS.ProcessEnv): TimerJob[] {
  const jobs: TimerJob[] = [];
  for (const registration of registrations) {
    for (const [triggerName, binding] of Object.entries(registration.metadata.bindings)) {
      if (binding.type.toLowerCase() !== 'timertrigger') continue;
      const schedule = resolveSchedule(typeof binding.schedule === 'string' ? binding.schedule : '', env);
      jobs.push({ registration, triggerName, schedule, runOnStartup: binding.runOnStartup === true });
    }
  }
  return jobs;
}

export function nextOccurrenceMs(schedule: string, afterMs: number): number {
  return CronExpressionParser.parse(schedule, { currentDate: new Date(afterMs) }).next().getTime();
}

export type TimerFire = (job: TimerJob, info: { scheduledMs: number; lastMs: number | undefined; nextMs: number; isPastDue: boolean }) => Promise<void>;

export class TimerScheduler {
  private readonly handles = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly jobs: readonly TimerJob[], private readonly fire: TimerFire) {}

  start(): void {
    for (const job of this.jobs) {
      if (job.runOnStartup) this.track(this.run(job, Date.now(), undefined));
      this.scheduleNext(job, Date.now(), undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const h of this.handles) clearTimeout(h);
    this.handles.clear();
    await Promise.allSettled([...this.running]);
  }

  private scheduleNext(job: TimerJob, afterMs: number, lastMs: number | undefined): void {
    if (this.stopped) return;
    const dueMs = nextOccurrenceMs(job.schedule, afterMs);
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      const run = this.run(job, dueMs, lastMs);
      this.track(run);
      void run.then(() => this.scheduleNext(job, Math.max(Date.now(), dueMs), dueMs));
    }, Math.max(0, dueMs - Date.now()));
    this.handles.add(handle);
  }

  private async run(job: TimerJob, scheduledMs: number, lastMs: number | undefined): Promise<void> {
    const nextMs = nextOccurrenceMs(job.schedule, scheduledMs);
    await this.fire(job, { scheduledMs, lastMs, nextMs, isPastDue: Date.now() - scheduledMs > 1000 });
  }

  private track(p: Promise<void>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}
