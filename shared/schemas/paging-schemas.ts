/** Query of every list route: page size and an opaque continuation token from the previous page. */
import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;

export const listQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .default(50),
  continuation: z
    .string()
    .min(1, 'must not be empty')
    .max(8192, 'is too long')
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a continuation token returned by the previous page')
    .optional(),
});

export type ListQuery = z.infer<typeof listQuerySchema>;

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `continuation` to get the next page; null on the last page. */
  readonly continuationToken: string | null;
}
