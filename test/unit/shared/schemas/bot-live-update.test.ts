/** Live updates a bot publishes to its tenant's group, computed from real bot operations. */
import { paperFillSchema } from '../../../../shared/bots/execution-messages.js';
import type { BotEvent } from '../../../../shared/bots/bot-records.js';
import { botLiveUpdate, LIVE_UPDATE_MAX_ITEMS, tenantBotsGroup } from '../../../../shared/schemas/bot-live-update.js';
import { toBotFillView } from '../../../../shared/schemas/bots-views.js';
import { loadReferenceSeries } from '../trading/backtest/reference-data.js';
import { botConfig, ExecutionSim, OTHER_TENANT, paperConnection, seriesBars, TENANT } from '../bots/execution-sim.js';

const GOOG = loadReferenceSeries('GOOG');
const MARKET = 'paper:GOOG:1d';

function tradedBot(): ExecutionSim {
  const sim = new ExecutionSim();
  sim.command('bot1', 'create', { config: botConfig() });
  sim.command('bot1', 'start', { connection: paperConnection() });
  for (let i = 0; i < 300; i++) sim.postBars(MARKET, seriesBars(GOOG, i, i + 1));
  return sim;
}

describe('botLiveUpdate', () => {
  it('tells the status of each command to the tenant group', () => {
    const sim = new ExecutionSim();
    sim.command('bot1', 'create', { config: botConfig() });
    sim.command('bot1', 'start', { connection: paperConnection() });
    sim.command('bot1', 'pause');
    expect(sim.liveUpdates.map((u) => [u.group, u.update.botId, u.update.status])).toEqual([
      [tenantBotsGroup(TENANT), 'bot1', 'draft'],
      [tenantBotsGroup(TENANT), 'bot1', 'running'],
      [tenantBotsGroup(TENANT), 'bot1', 'paused'],
    ]);
    expect(sim.liveUpdates.every((u) => u.update.configVersion === 1)).toBe(true);
  });

  it('covers every event the bot wrote, in order, without a gap, and carries its fills and orders', () => {
    const sim = tradedBot();
    const updates = sim.liveUpdates.map((u) => u.update).filter((u) => u.fromSeq !== null);
    const seqs = updates.flatMap((u) => u.events.map((e) => e.seq));
    expect(seqs).toEqual(sim.eventsOf('bot1').map((e) => e.seq));
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.fromSeq).toBe(updates[i - 1]!.toSeq! + 1);

    const fillEvents = sim.eventsOf('bot1', 'fill');
    expect(fillEvents.length).toBeGreaterThan(2);
    const expectedFills = fillEvents.map((e) => toBotFillView(paperFillSchema.parse(e.data), e.seq));
    expect(updates.flatMap((u) => u.fills)).toEqual(expectedFills);
    const published = new Set(updates.flatMap((u) => u.orders.map((o) => `${o.clientOrderId}:${o.status}`)));
    for (const order of sim.orders.values()) expect(published.has(`${order.id}:${order.status}`)).toBe(true);
    expect(updates.some((u) => u.equity !== null)).toBe(true);
  });

  it('publishes nothing for an operation that wrote nothing (a repeated command id)', () => {
    const sim = new ExecutionSim();
    sim.command('bot1', 'create', { config: botConfig() });
    sim.command('bot1', 'start', { connection: paperConnection() });
    const input = { commandId: 'same', actor: 'user:t', atMs: 1 };
    sim.signal('bot', `${TENANT}:bot1`, 'pause', input);
    sim.run();
    const before = sim.liveUpdates.length;
    sim.signal('bot', `${TENANT}:bot1`, 'resume', input);
    sim.run();
    expect(sim.liveUpdates.length).toBe(before);
  });

  it('says deleted when the operation deleted the bot', () => {
    const sim = new ExecutionSim();
    sim.command('bot1', 'create', { config: botConfig() });
    sim.command('bot1', 'delete');
    expect(sim.liveUpdates.at(-1)?.update).toMatchObject({ botId: 'bot1', status: 'deleted', configVersion: null });
  });

  it("keeps each tenant's updates in that tenant's group", () => {
    const sim = new ExecutionSim();
    sim.command('bot1', 'create', { config: botConfig() });
    sim.command('bot1', 'create', { config: botConfig() }, OTHER_TENANT);
    expect(sim.liveUpdates.map((u) => u.group)).toEqual([tenantBotsGroup(TENANT), tenantBotsGroup(OTHER_TENANT)]);
    expect(JSON.stringify(sim.liveUpdates)).not.toContain('"tenantId"');
  });

  it('carries only the newest items of a large batch and says it left some out', () => {
    const sim = tradedBot();
    const event = sim.eventsOf('bot1', 'decision')[0]!;
    const events: BotEvent[] = Array.from({ length: LIVE_UPDATE_MAX_ITEMS + 7 }, (_, i) => ({ ...event, id: `bot1-e${i + 1}`, seq: i + 1 }));
    const update = botLiveUpdate('bot1', sim.bot('bot1'), { events, orders: [], equity: [], document: null }, 5);
    expect(update).toMatchObject({ fromSeq: 1, toSeq: LIVE_UPDATE_MAX_ITEMS + 7, truncated: true, atMs: 5 });
    expect(update!.events.map((e) => e.seq)).toEqual(events.slice(-LIVE_UPDATE_MAX_ITEMS).map((e) => e.seq));
  });
});
