/** Durable entities of the Function App. Azure loads this file through package.json `main`. */
import './health-probe.entity.js';
import './bot.entity.js';
import './account.entity.js';
import './market.entity.js';
