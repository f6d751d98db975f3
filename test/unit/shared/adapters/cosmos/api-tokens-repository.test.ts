import { ApiTokensRepository } from '../../../../../shared/adapters/cosmos/api-tokens-repository';
import { ensureCosmosSchema } from '../../../../../shared/adapters/cosmos/ensure-cosmos-schema';
import { newApiTokenRecord } from '../../../../../shared/domain/api-token';
import { startCosmosKit, type CosmosKit } from './cosmos-test-kit';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const DAY = 86_400_000;
const NOW = 1_800_000_000_000;

const token = (tenantId: string, id: string, lifetimeDays: number, createdAtMs = NOW) =>
  newApiTokenRecord({ id, tenantId, name: `t-${id}`, scopes: ['read'], tokenHash: 'f'.repeat(64), lifetimeDays }, createdAtMs);

describe('ApiTokensRepository', () => {
  let kit: CosmosKit;
  let repo: ApiTokensRepository;
  beforeAll(async () => {
    kit = await startCosmosKit();
    repo = new ApiTokensRepository((await ensureCosmosSchema(kit.client, 'repo-tokens')).containers.apiTokens);
  });
  afterAll(() => kit.stop());

  it('finds a token only within its tenant', async () => {
    await repo.create(A, token(A, '000000000000000000000001', 30));
    expect(await repo.find(A, '000000000000000000000001')).toMatchObject({ tenantId: A, name: 't-000000000000000000000001' });
    expect(await repo.find(B, '000000000000000000000001')).toBeUndefined();
  });

  it('counts unexpired tokens of the tenant only', async () => {
    await repo.create(A, token(A, '000000000000000000000002', 1, NOW - 2 * DAY));
    await repo.create(B, token(B, '000000000000000000000003', 30));
    expect(await repo.countActive(A, NOW)).toBe(1);
    expect(await repo.countActive(B, NOW)).toBe(1);
  });

  it('lists the tenant tokens and deletes (revokes) only its own', async () => {
    const listed = await repo.list(A, { limit: 10 });
    expect(listed.ok && listed.value.items.map((i) => i.record.id).sort()).toEqual(['000000000000000000000001', '000000000000000000000002']);
    expect(await repo.delete(B, '000000000000000000000001')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await repo.delete(A, '000000000000000000000001')).toEqual({ ok: true, value: undefined });
    expect(await repo.find(A, '000000000000000000000001')).toBeUndefined();
  });
});
