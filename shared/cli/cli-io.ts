/**
 * What a CLI main needs from the process, injectable so tests capture output. User errors are
 * printed as one message and a non-zero exit code; only unexpected errors show a stack.
 */
import type { AppError } from '../core/result.js';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Progress bars are drawn only on a terminal. */
  readonly errIsTty: boolean;
  readonly errColumns: number;
}

export const EXIT_OK = 0;
/** Bad input data, unreadable files, a run that cannot be done. */
export const EXIT_FAILURE = 1;
/** Bad command line. */
export const EXIT_USAGE = 2;

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  errIsTty: process.stderr.isTTY,
  errColumns: process.stderr.columns ?? 80,
};

export function reportError(io: CliIo, error: AppError, exitCode: number, hint?: string): number {
  io.err(`error: ${error.message}\n${hint === undefined ? '' : `${hint}\n`}`);
  return exitCode;
}

/** Runs a CLI main as the process entry point and sets the exit code. */
export function runAsProcess(main: (argv: readonly string[], io: CliIo) => Promise<number>): void {
  main(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
