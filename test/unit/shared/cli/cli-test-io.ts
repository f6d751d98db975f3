/** Test helper: a CliIo that records what a CLI main prints. */
import type { CliIo } from '../../../../shared/cli/cli-io.js';

export interface CapturedIo extends CliIo {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function captureIo(errIsTty = false): CapturedIo {
  let out = '';
  let err = '';
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    errIsTty,
    errColumns: 100,
    stdout: () => out,
    stderr: () => err,
  };
}
