/**
 * The one table from error codes to HTTP statuses. Every route answers errors through it, so a code
 * means the same status everywhere. Add a row when a new code appears; unmapped codes answer 500 and
 * are logged as a bug.
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  'VALIDATION.FAILED': 400,
  'AUTH.REQUIRED': 401,
  'AUTH.INVALID_PRINCIPAL': 401,
  'AUTH.INVALID_TOKEN': 401,
  'AUTH.TOKEN_EXPIRED': 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /** State conflicts, including a stale ETag (Cosmos answers 412; the API says CONFLICT). */
  CONFLICT: 409,
  'LIMIT.TOO_MANY_TOKENS': 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_REQUIRED: 428,
  INTERNAL: 500,
};

/** Families whose members all share a status, for codes added later in those namespaces. */
const PREFIX_STATUS: readonly (readonly [string, number])[] = [
  ['AUTH.', 401],
  ['VALIDATION.', 400],
];

export function statusForCode(code: string): number | undefined {
  const exact = ERROR_STATUS[code];
  if (exact !== undefined) return exact;
  return PREFIX_STATUS.find(([prefix]) => code.startsWith(prefix))?.[1];
}
