/** Host log lines with level filtering and redaction of registered secrets and key-looking query values. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  (level: LogLevel, message: string): void;
  /** Values that must never be printed (function keys, emulator keys). */
  redact(value: string): void;
}

export function createLogger(minLevel: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const secrets = new Set<string>();
  const log = ((level: LogLevel, message: string) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    let text = message.replace(/([?&](code|sig|key|token)=)[^&\s"']+/gi, '$1[redacted]');
    for (const s of secrets) text = text.split(s).join('[redacted]');
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${text}\n`);
  }) as Logger;
  log.redact = (value: string) => {
    if (value.length >= 8) secrets.add(value);
  };
  return log;
}
