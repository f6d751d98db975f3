/** zod issues → `[{path, message}]` for 400 answers. Never echoes input values, only field names. */
import type { z } from 'zod';
import type { FieldIssue } from '../domain/connection.js';

const MAX_ISSUES = 50;
const MAX_PATH_CHARS = 200;

export function zodIssueDetails(error: z.ZodError, root?: string): FieldIssue[] {
  const details: FieldIssue[] = [];
  for (const issue of error.issues) {
    const base = [...(root ? [root] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: clip([...base, key].join('.')), message: 'is not a known field' });
    } else {
      details.push({ path: clip(base.join('.')) || '(body)', message: issue.message });
    }
  }
  return details.slice(0, MAX_ISSUES);
}

const clip = (s: string): string => (s.length > MAX_PATH_CHARS ? `${s.slice(0, MAX_PATH_CHARS)}…` : s);
