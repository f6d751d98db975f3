import { killSwitchActionFor } from '../../../functions/kill-switch-support.js';
import { BOT_STATUSES, VALID_IN } from '../../../shared/bots/bot-machine.js';

describe('killSwitchActionFor', () => {
  it.each([
    ['running', 'stop', 'kill'],
    ['paused', 'stop', 'kill'],
    ['halted', 'stop', 'kill'],
    ['faulted', 'stop', 'kill'],
    ['stopping', 'kill', 'kill'],
    ['draft', 'none', 'none'],
    ['stopped', 'none', 'none'],
  ] as const)('sends a %s bot %s, or %s when flattening', (status, plain, flatten) => {
    expect(killSwitchActionFor(status, false)).toBe(plain);
    expect(killSwitchActionFor(status, true)).toBe(flatten);
  });

  it('only ever picks an operation the state machine accepts in that state', () => {
    for (const status of BOT_STATUSES) {
      for (const flatten of [false, true]) {
        const action = killSwitchActionFor(status, flatten);
        if (action !== 'none') expect(VALID_IN[action]).toContain(status);
      }
    }
  });
});
