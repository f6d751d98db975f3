/** Status code of a Cosmos SDK error (404 not found, 409 exists, 412 ETag mismatch, 400 bad continuation …). */
export function cosmosStatus(e: unknown): number | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}
