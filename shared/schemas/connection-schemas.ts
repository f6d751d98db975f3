/** Request bodies of /api/connections, shared with the site. Unknown keys are refused. */
import { z } from 'zod';
import { connectionIssues, type ConnectionView, type PaperSettings } from '../domain/connection.js';
import { CONNECTION_MODES, EXCHANGES, EXCHANGE_IDS, type ExchangeId } from '../domain/exchange-catalog.js';
import { displayText, credentialText } from './text-fields.js';

export { CONNECTION_MODES, EXCHANGES, EXCHANGE_IDS };
export type { ConnectionView, ExchangeId };

export const credentialsSchema = z.strictObject({
  apiKey: credentialText(512),
  // PEM private keys (Coinbase) span lines.
  secret: credentialText(4096, { multiline: true }),
  passphrase: credentialText(256, { multiline: false }).optional(),
});

export const paperSettingsSchema = z.strictObject({
  startingBalance: z.strictObject({
    currency: z.string().regex(/^[A-Z][A-Z0-9]{1,9}$/, 'must be a currency code such as USD or USDT'),
    amount: z
      .number({ error: 'must be a number' })
      .positive('must be positive')
      .max(1e12, 'must be at most 1e12')
      .refine(Number.isFinite, 'must be finite'),
  }),
}) satisfies z.ZodType<PaperSettings>;

const exchangeId = z.enum(EXCHANGE_IDS, { error: `must be one of ${EXCHANGE_IDS.join(', ')}` });
const mode = z.enum(CONNECTION_MODES, { error: `must be one of ${CONNECTION_MODES.join(', ')}` });
const label = displayText(100);

export const createConnectionBodySchema = z
  .strictObject({
    exchangeId,
    label,
    mode,
    credentials: credentialsSchema.optional(),
    paper: paperSettingsSchema.optional(),
  })
  .superRefine((body, ctx) => {
    for (const issue of connectionIssues(body.exchangeId, { mode: body.mode, credentials: body.credentials, paper: body.paper })) {
      ctx.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
    }
  });

export const patchConnectionBodySchema = z
  .strictObject({
    label: label.optional(),
    mode: mode.optional(),
    credentials: credentialsSchema.optional(),
    paper: paperSettingsSchema.optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), { message: 'must change at least one of label, mode, credentials, paper' });

export type CreateConnectionBody = z.infer<typeof createConnectionBodySchema>;
export type PatchConnectionBody = z.infer<typeof patchConnectionBodySchema>;

/** Catalog entry for forms: which modes and credential fields a venue takes. */
export const exchangeFormInfo = (id: ExchangeId) => EXCHANGES[id];
