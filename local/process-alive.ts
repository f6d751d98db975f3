/** Whether a process with this pid runs (EPERM: it does, under another user). Lock files left by a dead owner are taken over. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
