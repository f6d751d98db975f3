/** `npm run infra:containers`: writes infra/generated/cosmos-containers.json (loaded by infra/modules/cosmos.bicep). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { infraContainersJson } from './infra-containers.js';

const target = resolve(__dirname, '../../../infra/generated/cosmos-containers.json');
writeFileSync(target, infraContainersJson());
process.stdout.write(`wrote ${target}\n`);
