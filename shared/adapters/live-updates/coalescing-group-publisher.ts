/**
 * Sends live updates to Web PubSub groups without ever holding up the code that produced them: one
 * send in flight per group, in order; what arrives meanwhile goes out together in the next send.
 * When the service falls behind, the oldest updates are dropped (counted, and the count travels
 * with the next message so clients reload), rather than buffering without bound. A failed send is
 * counted as dropped too; errors are reported at most once per `errorReportIntervalMs`.
 */
import type { TickPublisher } from '../market-data/web-pubsub-tick-publisher.js';
import type { JSONTypes } from '@azure/web-pubsub';

export interface CoalescingPublisherOptions<T> {
  /** Builds one group message from the updates of a send and the number dropped before it. */
  readonly wrap: (updates: readonly T[], dropped: number) => JSONTypes;
  readonly maxBacklogPerGroup?: number;
  readonly maxUpdatesPerSend?: number;
  readonly onError?: (message: string) => void;
  readonly errorReportIntervalMs?: number;
  readonly nowMs?: () => number;
}

interface GroupQueue<T> {
  readonly pending: T[];
  dropped: number;
  sending: Promise<void> | null;
}

export class CoalescingGroupPublisher<T> {
  private readonly queues = new Map<string, GroupQueue<T>>();
  private readonly maxBacklog: number;
  private readonly maxPerSend: number;
  private failuresSinceReport = 0;
  private lastReportMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sender: TickPublisher,
    private readonly options: CoalescingPublisherOptions<T>,
  ) {
    this.maxBacklog = options.maxBacklogPerGroup ?? 1_000;
    this.maxPerSend = options.maxUpdatesPerSend ?? 20;
  }

  push(group: string, update: T): void {
    let queue = this.queues.get(group);
    if (!queue) {
      queue = { pending: [], dropped: 0, sending: null };
      this.queues.set(group, queue);
    }
    queue.pending.push(update);
    if (queue.pending.length > this.maxBacklog) {
      queue.pending.shift();
      queue.dropped++;
    }
    queue.sending ??= this.drain(group, queue);
  }

  /** Resolves when everything pushed so far has been sent or dropped (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.queues.values()].map((q) => q.sending).filter((s): s is Promise<void> => s !== null);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  private async drain(group: string, queue: GroupQueue<T>): Promise<void> {
    // Let the producer finish its synchronous work first: updates of the same tick share a send.
    await Promise.resolve();
    while (queue.pending.length > 0) {
      const batch = queue.pending.splice(0, this.maxPerSend);
      const dropped = queue.dropped;
      queue.dropped = 0;
      try {
        await this.sender.publish(group, this.options.wrap(batch, dropped));
      } catch (e) {
        queue.dropped += dropped + batch.length;
        this.reportFailure(group, e);
      }
    }
    queue.sending = null;
    if (queue.dropped === 0) this.queues.delete(group);
  }

  private reportFailure(group: string, e: unknown): void {
    this.failuresSinceReport++;
    const now = (this.options.nowMs ?? Date.now)();
    if (now - this.lastReportMs < (this.options.errorReportIntervalMs ?? 60_000)) return;
    this.lastReportMs = now;
    const reason = e instanceof Error ? e.message : String(e);
    this.options.onError?.(`live updates to ${group} failed (${this.failuresSinceReport} failed sends since the last report): ${reason}`);
    this.failuresSinceReport = 0;
  }
}
