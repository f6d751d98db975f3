import { CoalescingGroupPublisher } from '../../../../../shared/adapters/live-updates/coalescing-group-publisher.js';

interface Sent {
  group: string;
  message: { updates: number[]; dropped: number };
}

/** A sender whose sends complete only when the test says so. */
class ManualSender {
  readonly sent: Sent[] = [];
  private readonly waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];

  publish(group: string, message: unknown): Promise<void> {
    this.sent.push({ group, message: message as Sent['message'] });
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async completeNext(error?: Error): Promise<void> {
    await flush();
    const next = this.waiting.shift();
    if (!next) throw new Error('no send in flight');
    if (error) next.reject(error);
    else next.resolve();
    await flush();
  }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function publisher(sender: ManualSender, options: { maxBacklogPerGroup?: number; maxUpdatesPerSend?: number } = {}) {
  const errors: string[] = [];
  let now = 0;
  const p = new CoalescingGroupPublisher<number>(sender, {
    wrap: (updates, dropped) => ({ updates: [...updates], dropped }),
    onError: (m) => errors.push(m),
    errorReportIntervalMs: 1_000,
    nowMs: () => now,
    ...options,
  });
  return { p, errors, advance: (ms: number) => (now += ms) };
}

describe('CoalescingGroupPublisher', () => {
  it('sends updates of one tick together, and what arrives during a send in the next one, in order', async () => {
    const sender = new ManualSender();
    const { p } = publisher(sender);
    p.push('g', 1);
    p.push('g', 2);
    await flush();
    p.push('g', 3);
    p.push('g', 4);
    await sender.completeNext();
    await sender.completeNext();
    await p.idle();
    expect(sender.sent.map((s) => s.message.updates)).toEqual([[1, 2], [3, 4]]);
  });

  it('keeps groups independent: a slow group does not hold up another', async () => {
    const sender = new ManualSender();
    const { p } = publisher(sender);
    p.push('a', 1);
    p.push('b', 2);
    await flush();
    expect(sender.sent.map((s) => s.group)).toEqual(['a', 'b']);
  });

  it('drops the oldest updates beyond the backlog and tells the next message how many', async () => {
    const sender = new ManualSender();
    const { p } = publisher(sender, { maxBacklogPerGroup: 3, maxUpdatesPerSend: 10 });
    p.push('g', 0);
    await flush();
    for (let i = 1; i <= 5; i++) p.push('g', i);
    await sender.completeNext();
    await sender.completeNext();
    await p.idle();
    expect(sender.sent.map((s) => s.message)).toEqual([{ updates: [0], dropped: 0 }, { updates: [3, 4, 5], dropped: 2 }]);
  });

  it('counts a failed send as dropped, reports it once per interval, and goes on', async () => {
    const sender = new ManualSender();
    const { p, errors, advance } = publisher(sender, { maxUpdatesPerSend: 1 });
    p.push('g', 1);
    p.push('g', 2);
    p.push('g', 3);
    await sender.completeNext(new Error('service unavailable'));
    await sender.completeNext(new Error('service unavailable'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('service unavailable');
    advance(1_000);
    await sender.completeNext();
    await p.idle();
    expect(sender.sent.map((s) => s.message)).toEqual([{ updates: [1], dropped: 0 }, { updates: [2], dropped: 1 }, { updates: [3], dropped: 2 }]);
    p.push('g', 4);
    await sender.completeNext();
    await p.idle();
    expect(sender.sent.at(-1)?.message).toEqual({ updates: [4], dropped: 0 });
  });

  it('splits a large backlog into sends of at most maxUpdatesPerSend', async () => {
    const sender = new ManualSender();
    const { p } = publisher(sender, { maxUpdatesPerSend: 2 });
    for (let i = 1; i <= 5; i++) p.push('g', i);
    for (let i = 0; i < 3; i++) await sender.completeNext();
    await p.idle();
    expect(sender.sent.map((s) => s.message.updates)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
