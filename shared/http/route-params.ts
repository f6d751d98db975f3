/** Route parameter schemas: an id that cannot exist answers 404 like one that does not. */
import { z } from 'zod';

export const connectionIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) });
export const tokenIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/) });
