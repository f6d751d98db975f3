/** The error envelope every API route answers with, for clients (the site) to parse. */
import { z } from 'zod';

export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
export type FieldIssueBody = z.infer<typeof fieldIssueSchema>;
