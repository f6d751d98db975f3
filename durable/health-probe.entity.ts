/** Records the heartbeat timer's pings so /api/health can tell the durable runtime is applying operations. */
import * as df from 'durable-functions';
import { z } from 'zod';
import { ENTITY, type HealthProbeState } from '../shared/entity-names.js';

const pingInput = z.object({ atMs: z.number().int().nonnegative() });

df.app.entity(ENTITY.healthProbe, (context) => {
  const state = (context.df.getState(() => ({ pings: 0, lastPingMs: null })) as HealthProbeState | undefined) ?? { pings: 0, lastPingMs: null };
  if (context.df.operationName !== 'ping') {
    throw new Error(`healthprobe: unknown operation "${context.df.operationName}"`);
  }
  const input = pingInput.safeParse(context.df.getInput());
  if (!input.success) throw new Error(`healthprobe.ping: invalid input: ${input.error.message}`);
  context.df.setState({ pings: state.pings + 1, lastPingMs: input.data.atMs });
});
