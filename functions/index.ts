/** HTTP API, timers and webhooks of the Function App. Azure loads this file through package.json `main`. */
import './health.js';
import './heartbeat.js';
