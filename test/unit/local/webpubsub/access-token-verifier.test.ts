import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { verifyClientAccessToken, verifyRestRequestToken, TOKEN_ERROR } from '../../../../local/webpubsub/access-token-verifier';
import { ClientPermissions } from '../../../../local/webpubsub/client-permissions';
import { JWT_ERROR, signHs256Jwt } from '../../../../local/webpubsub/jwt-hs256';

const KEY = 'emulator-access-key-0123456789';
const ENDPOINT = 'https://127.0.0.1:8443';
const SEND_URL = `${ENDPOINT}/api/hubs/market/:send?api-version=2024-12-01`;
const CLIENT_AUD = `${ENDPOINT}/client/hubs/market`;
const nowMs = (): number => Date.now();
const inSeconds = (s: number): number => Math.floor(Date.now() / 1000) + s;

describe('verifyRestRequestToken', () => {
  const bearer = (claims: Record<string, unknown>, key = KEY): string => `Bearer ${signHs256Jwt(claims, key)}`;

  it('accepts a token shaped like the server SDK makes: aud = full request URL, 1 h expiry', () => {
    expect(verifyRestRequestToken(bearer({ aud: SEND_URL, exp: inSeconds(3600) }), SEND_URL, KEY, nowMs()).ok).toBe(true);
  });

  it('accepts an audience differing in scheme or host letter case, but not in path encoding', () => {
    const aud = 'https://127.0.0.1:8443/api/hubs/market/groups/md%2fx/:send?api-version=2024-12-01';
    const url = 'https://127.0.0.1:8443/api/hubs/market/groups/md%2Fx/:send?api-version=2024-12-01';
    expect(verifyRestRequestToken(bearer({ aud, exp: inSeconds(60) }), url, KEY, nowMs()).ok).toBe(false);
    const upperHost = 'HTTPS://127.0.0.1:8443/api/hubs/market/:send?api-version=2024-12-01';
    expect(verifyRestRequestToken(bearer({ aud: upperHost, exp: inSeconds(60) }), SEND_URL, KEY, nowMs()).ok).toBe(true);
  });

  it('rejects a missing or non-Bearer Authorization header', () => {
    expect(verifyRestRequestToken(undefined, SEND_URL, KEY, nowMs())).toMatchObject({ ok: false, error: { code: TOKEN_ERROR.MISSING } });
    expect(verifyRestRequestToken('Basic abc', SEND_URL, KEY, nowMs())).toMatchObject({ ok: false, error: { code: TOKEN_ERROR.MISSING } });
  });

  it('rejects a token signed with the wrong key', () => {
    const result = verifyRestRequestToken(bearer({ aud: SEND_URL, exp: inSeconds(60) }, 'wrong'), SEND_URL, KEY, nowMs());
    expect(result).toMatchObject({ ok: false, error: { code: JWT_ERROR.SIGNATURE } });
  });

  it('rejects a token for another URL, another query or another host', () => {
    for (const aud of [
      `${ENDPOINT}/api/hubs/market/groups/g/:send?api-version=2024-12-01`,
      `${ENDPOINT}/api/hubs/market/:send?api-version=2021-10-01`,
      `https://localhost:8443/api/hubs/market/:send?api-version=2024-12-01`,
    ]) {
      expect(verifyRestRequestToken(bearer({ aud, exp: inSeconds(60) }), SEND_URL, KEY, nowMs())).toMatchObject({ ok: false, error: { code: TOKEN_ERROR.AUDIENCE } });
    }
  });

  it('rejects an expired token', () => {
    expect(verifyRestRequestToken(bearer({ aud: SEND_URL, exp: inSeconds(-5) }), SEND_URL, KEY, nowMs())).toMatchObject({ ok: false, error: { code: JWT_ERROR.EXPIRED } });
  });
});

describe('verifyClientAccessToken', () => {
  const service = new WebPubSubServiceClient(`Endpoint=${ENDPOINT};AccessKey=${KEY};Version=1.0;`, 'market');

  it('accepts the token getClientAccessToken signs, with its user id, roles and groups', async () => {
    const { token } = await service.getClientAccessToken({
      userId: 'user-1',
      roles: ['webpubsub.joinLeaveGroup.tenant.A.bots'],
      groups: ['md.sim.BTC-USD'],
    });
    const result = verifyClientAccessToken(token, [CLIENT_AUD], KEY, nowMs());
    expect(result).toEqual({
      ok: true,
      value: { userId: 'user-1', roles: ['webpubsub.joinLeaveGroup.tenant.A.bots'], groups: ['md.sim.BTC-USD'], expiresAtMs: expect.any(Number) },
    });
  });

  it('accepts single-string role and group claims and a wss: audience', () => {
    const token = signHs256Jwt({ aud: 'wss://127.0.0.1:8443/client/hubs/Market/', role: 'webpubsub.sendToGroup', 'webpubsub.group': 'g', exp: inSeconds(60) }, KEY);
    expect(verifyClientAccessToken(token, [CLIENT_AUD], KEY, nowMs())).toMatchObject({ ok: true, value: { userId: undefined, roles: ['webpubsub.sendToGroup'], groups: ['g'] } });
  });

  it('rejects a token signed with the wrong key', async () => {
    const other = new WebPubSubServiceClient(`Endpoint=${ENDPOINT};AccessKey=other-key;Version=1.0;`, 'market');
    const { token } = await other.getClientAccessToken({ userId: 'u' });
    expect(verifyClientAccessToken(token, [CLIENT_AUD], KEY, nowMs())).toMatchObject({ ok: false, error: { code: JWT_ERROR.SIGNATURE } });
  });

  it('rejects a token for another hub or another endpoint', async () => {
    const otherHub = await new WebPubSubServiceClient(`Endpoint=${ENDPOINT};AccessKey=${KEY};Version=1.0;`, 'chat').getClientAccessToken();
    expect(verifyClientAccessToken(otherHub.token, [CLIENT_AUD], KEY, nowMs())).toMatchObject({ ok: false, error: { code: TOKEN_ERROR.AUDIENCE } });
    const otherHost = signHs256Jwt({ aud: 'https://evil.example/client/hubs/market', exp: inSeconds(60) }, KEY);
    expect(verifyClientAccessToken(otherHost, [CLIENT_AUD], KEY, nowMs())).toMatchObject({ ok: false, error: { code: TOKEN_ERROR.AUDIENCE } });
  });

  it('rejects an expired token and a missing one', () => {
    const expired = signHs256Jwt({ aud: CLIENT_AUD, sub: 'u', exp: inSeconds(-1) }, KEY);
    expect(verifyClientAccessToken(expired, [CLIENT_AUD], KEY, nowMs())).toMatchObject({ ok: false, error: { code: JWT_ERROR.EXPIRED } });
    expect(verifyClientAccessToken(undefined, [CLIENT_AUD], KEY, nowMs())).toMatchObject({ ok: false, error: { code: TOKEN_ERROR.MISSING } });
  });

  it('rejects claims of the wrong shape', () => {
    const token = signHs256Jwt({ aud: CLIENT_AUD, role: [1, 2], exp: inSeconds(60) }, KEY);
    expect(verifyClientAccessToken(token, [CLIENT_AUD], KEY, nowMs())).toMatchObject({ ok: false, error: { code: TOKEN_ERROR.CLAIMS } });
  });

  it('gives a token without roles no right to join or send to any group', async () => {
    const { token } = await service.getClientAccessToken({ userId: 'no-roles' });
    const identity = verifyClientAccessToken(token, [CLIENT_AUD], KEY, nowMs());
    if (!identity.ok) throw new Error(identity.error.message);
    const permissions = ClientPermissions.fromRoles(identity.value.roles);
    expect(permissions.allows('joinLeaveGroup', 'md.sim.BTC-USD')).toBe(false);
    expect(permissions.allows('sendToGroup', 'md.sim.BTC-USD')).toBe(false);
  });
});
