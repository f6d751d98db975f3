/** Request bodies of /api/tokens, shared with the site. */
import { z } from 'zod';
import { DEFAULT_TOKEN_LIFETIME_DAYS, MAX_TOKEN_LIFETIME_DAYS, TOKEN_SCOPES, type ApiTokenView } from '../domain/api-token.js';
import { displayText } from './text-fields.js';

export { TOKEN_SCOPES };
export type { ApiTokenView };

export const createTokenBodySchema = z.strictObject({
  name: displayText(100),
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { error: `must be one of ${TOKEN_SCOPES.join(', ')}` }))
    .min(1, 'must name at least one scope')
    .max(TOKEN_SCOPES.length, `must have at most ${TOKEN_SCOPES.length} scopes`)
    .refine((s) => new Set(s).size === s.length, 'must not repeat a scope'),
  expiresInDays: z
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(MAX_TOKEN_LIFETIME_DAYS, `must be at most ${MAX_TOKEN_LIFETIME_DAYS} days`)
    .default(DEFAULT_TOKEN_LIFETIME_DAYS),
});

export type CreateTokenBody = z.infer<typeof createTokenBodySchema>;

/** Answer of POST /api/tokens: the only time the token itself is shown. */
export interface CreatedTokenBody extends ApiTokenView {
  readonly token: string;
}
