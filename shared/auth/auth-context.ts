/** Who is calling, as the edge established it. `tenantId` is only ever taken from here. */
import type { TokenScope } from '../domain/api-token.js';

export interface AuthContext {
  readonly tenantId: string;
  readonly via: 'principal' | 'token';
  readonly displayName: string;
  readonly identityProvider: string | null;
  readonly roles: readonly string[];
  readonly scopes: readonly TokenScope[];
  readonly tokenId: string | null;
}
