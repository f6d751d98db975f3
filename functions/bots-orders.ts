/** GET /api/bots/{id}/orders: the bot's orders by client order id `{botId}-{seq}`, newest first, paged. */
import { toBotOrderView } from '../shared/schemas/bots-views.js';
import { registerBotRecordsRoute } from './bots-records-route.js';

registerBotRecordsRoute('bots-orders', 'bots/{id}/orders', (records, tenantId, botId, page) => records.listOrders(tenantId, botId, page), toBotOrderView);
