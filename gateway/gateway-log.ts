/** Line logger of the gateway process: `<ISO time> <level> <message>` at or above the configured level. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type GatewayLog = (level: LogLevel, message: string) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createGatewayLog(threshold: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): GatewayLog {
  return (level, message) => {
    if (RANK[level] < RANK[threshold]) return;
    write(`${new Date().toISOString()} ${level.padEnd(5)} [gateway] ${message}\n`);
  };
}

export const silentLog: GatewayLog = () => undefined;
