import { ProgressBar, renderProgress } from '../../../../shared/cli/progress-bar.js';
import { captureIo } from './cli-test-io.js';

describe('renderProgress', () => {
  it('shows the share done, counts, rate and time left', () => {
    expect(renderProgress('runs', 50, 200, 1000, 80)).toBe(`runs [${'#'.repeat(10)}${'.'.repeat(30)}] 25% 50/200 50/s ETA 3s`);
  });

  it('omits the ETA before any rate is known', () => {
    expect(renderProgress('runs', 0, 10, 0, 60)).toMatch(/\] 0% 0\/10 0\/s$/);
  });
});

describe('ProgressBar', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const io = captureIo(false);
    const bar = new ProgressBar(io, 'runs');
    bar.update(5, 10);
    bar.update(10, 10);
    bar.finish();
    expect(io.stderr()).toBe('');
  });

  it('always draws the final state and ends the line on a terminal', () => {
    const io = captureIo(true);
    const bar = new ProgressBar(io, 'runs');
    bar.update(1, 10);
    bar.update(2, 10);
    bar.update(10, 10);
    bar.finish();
    const frames = io.stderr().split('\r').filter(Boolean);
    expect(frames[0]).toMatch(/^runs \[.*\] 10% 1\/10/);
    const last = frames[frames.length - 1]!;
    expect(last).toMatch(/^runs \[#+\] 100% 10\/10 /);
    expect(last.endsWith('\u001b[K\n')).toBe(true);
  });
});
