/** GET /api/bots/{id}/equity: equity snapshots, one per processed bar, newest first, paged. */
import { toBotEquityView } from '../shared/schemas/bots-views.js';
import { registerBotRecordsRoute } from './bots-records-route.js';

registerBotRecordsRoute('bots-equity', 'bots/{id}/equity', (records, tenantId, botId, page) => records.listEquity(tenantId, botId, page), toBotEquityView);
