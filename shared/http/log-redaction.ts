/**
 * Redaction for every log line the API writes: values known to be secret in this request (the
 * credentials it handles, the caller's token) plus patterns that look like secrets wherever they come
 * from (ccxt error messages carry signed URLs and request headers, for instance).
 */
const MIN_SECRET_CHARS = 4;

const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/tt_[0-9a-f]{32}_[0-9a-f]{24}_[A-Za-z0-9_-]+/g, 'tt_[redacted]'],
  [/(Bearer\s+)[^\s"',]+/gi, '$1[redacted]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted private key]'],
  [
    /((?:api[-_]?key|api[-_]?secret|secret|password|passphrase|private[-_]?key|signature|token|x-mbx-apikey|apca-api-[a-z-]+|ok-access-[a-z]+|kc-api-[a-z]+|cb-access-[a-z]+|api-sign|x-ms-client-principal|x-tt-token)["']?\s*[:=]\s*["']?)[^"'&,\s}]+/gi,
    '$1[redacted]',
  ],
];

export function redactSecrets(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  // Longest first, so a secret containing another is removed whole.
  const secrets = [...knownSecrets].filter((s) => s.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export interface LogSink {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A request-scoped logger: everything goes through redaction; handlers register the secrets they touch. */
export interface RequestLog extends LogSink {
  keepSecret(value: string | null | undefined): void;
}

export function createRequestLog(sink: LogSink): RequestLog {
  const secrets = new Set<string>();
  const clean = (m: string): string => redactSecrets(m, secrets);
  return {
    debug: (m) => sink.debug(clean(m)),
    info: (m) => sink.info(clean(m)),
    warn: (m) => sink.warn(clean(m)),
    error: (m) => sink.error(clean(m)),
    keepSecret: (value) => {
      if (value) secrets.add(value);
    },
  };
}
