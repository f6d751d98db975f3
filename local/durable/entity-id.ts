/**
 * Entity identity as the Durable Task extension sees it: the entity *name* is case-insensitive (the
 * extension stores it lower-cased, so `ctx.df.entityName` is lower-case), the *key* is kept verbatim.
 */
import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from '../../shared/core/result.js';

export interface EntityId {
  readonly name: string;
  readonly key: string;
}

/** Function names in Azure Functions: a letter, then letters, digits, `_` or `-`. */
const entityNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'an entity name starts with a letter and holds only letters, digits, "_" and "-"');

/** Keys are opaque; control characters are refused because they cannot round-trip through a URL path. */
const entityKeySchema = z
  .string()
  .min(1, 'an entity key must not be empty')
  .max(1024)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'an entity key must not contain control characters');

const operationNameSchema = z
  .string()
  .min(1, 'an operation name is required (query parameter "op")')
  .max(256)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'an operation name must not contain control characters');

export function normalizeEntityName(name: string): string {
  return name.toLowerCase();
}

export function parseEntityId(name: string, key: string): Result<EntityId, AppError> {
  const parsedName = entityNameSchema.safeParse(name);
  if (!parsedName.success) return err(appError('DURABLE.INVALID_ENTITY_NAME', `Invalid entity name "${name}": ${firstIssue(parsedName.error)}.`));
  const parsedKey = entityKeySchema.safeParse(key);
  if (!parsedKey.success) return err(appError('DURABLE.INVALID_ENTITY_KEY', `Invalid entity key: ${firstIssue(parsedKey.error)}.`));
  return ok({ name: normalizeEntityName(parsedName.data), key: parsedKey.data });
}

export function parseOperationName(op: string | null | undefined): Result<string, AppError> {
  const parsed = operationNameSchema.safeParse(op ?? '');
  if (!parsed.success) return err(appError('DURABLE.INVALID_OPERATION', `Invalid operation name: ${firstIssue(parsed.error)}.`));
  return ok(parsed.data);
}

export function formatEntityId(id: EntityId): string {
  return `@${id.name}@${id.key}`;
}

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'invalid value';
}
