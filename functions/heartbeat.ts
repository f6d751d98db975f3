/** Every minute, ping the health-probe entity so /api/health can report the durable runtime applies operations. */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { ENTITY, HEALTH_PROBE_KEY } from '../shared/entity-names.js';

app.timer('heartbeat', {
  schedule: '0 * * * * *',
  runOnStartup: true,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer, context) => {
    const client = df.getClient(context);
    await client.signalEntity(new df.EntityId(ENTITY.healthProbe, HEALTH_PROBE_KEY), 'ping', { atMs: Date.now() });
  },
});
