import { nextOccurrenceMs, resolveSchedule } from '../../../../local/host/timer-scheduler';

describe('timer schedules', () => {
  it('reads six-field NCRONTAB with seconds first', () => {
    const t0 = Date.UTC(2026, 0, 1, 10, 0, 3);
    expect(nextOccurrenceMs('*/5 * * * * *', t0)).toBe(Date.UTC(2026, 0, 1, 10, 0, 5));
    expect(nextOccurrenceMs('0 */15 * * * *', t0)).toBe(Date.UTC(2026, 0, 1, 10, 15, 0));
    expect(nextOccurrenceMs('30 0 9 * * 1-5', Date.UTC(2026, 0, 2, 12))).toBe(Date.UTC(2026, 0, 5, 9, 0, 30));
  });

  it('refuses five-field cron with a message naming the NCRONTAB fields', () => {
    expect(() => resolveSchedule('*/5 * * * *', {})).toThrow(/six NCRONTAB fields/);
  });

  it('resolves %APP_SETTING% schedules and reports a missing setting', () => {
    expect(resolveSchedule('%SCHED%', { SCHED: '0 0 * * * *' })).toBe('0 0 * * * *');
    expect(() => resolveSchedule('%MISSING%', {})).toThrow(/MISSING/);
  });
});
