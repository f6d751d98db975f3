/** HTTP API, timers and webhooks of the Function App. Azure loads this file through package.json `main`. */
import './health.js';
import './heartbeat.js';
import './me.js';
import './tokens-create.js';
import './tokens-list.js';
import './tokens-revoke.js';
import './connections-list.js';
import './connections-create.js';
import './connections-get.js';
import './connections-update.js';
import './connections-delete.js';
import './connections-test.js';
