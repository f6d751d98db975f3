/** A backtest or optimization page's shared parts: status badge, progress bar, failure, actions, delete dialog. */
import type { ComponentChildren } from 'preact';
import type { JobSummaryView } from '../../../shared/schemas/backtest-views.js';
import { api } from '../lib/api.js';
import { navigate } from '../lib/router.js';
import { ConfirmDialog } from './confirm-dialog.js';

const PHASE: Record<JobSummaryView['progress']['phase'], string> = { queued: 'waiting for a worker', loading: 'loading data', running: 'running', saving: 'saving results', done: 'done' };

export function StatusBadge({ job }: { job: Pick<JobSummaryView, 'status'> }) {
  return <span class={`badge status-${job.status}`}>{job.status}</span>;
}

export const isActive = (job: Pick<JobSummaryView, 'status'>): boolean => job.status === 'queued' || job.status === 'running';

export function JobProgress({ job }: { job: JobSummaryView }) {
  if (!isActive(job)) return null;
  const { done, total, phase } = job.progress;
  const label = job.kind === 'optimization' && phase === 'running' ? `${done} of ${total} runs` : PHASE[phase];
  return (
    <div class="progress" data-testid="job-progress">
      <progress max={Math.max(1, total)} value={phase === 'queued' ? undefined : done} aria-label={`Progress: ${label}`} />
      <span class="muted small" aria-live="polite">
        {label}
      </span>
    </div>
  );
}

/** The run's error, when it failed: `what` names it ("run", "optimization"). */
export function JobFailure({ job, what }: { job: Pick<JobSummaryView, 'status' | 'error'>; what: string }) {
  if (job.status !== 'failed' || !job.error) return null;
  return (
    <div class="state error" role="alert">
      <p>
        <strong>The {what} failed.</strong> {job.error.message}
      </p>
      <p class="muted">
        Code <code data-testid="error-code">{job.error.code}</code>
      </p>
    </div>
  );
}

export function JobActions({ onDelete }: { onDelete: () => void }) {
  return (
    <>
      <a class="button" href="/backtests">
        All backtests
      </a>
      <button type="button" class="danger" onClick={onDelete}>
        Delete
      </button>
    </>
  );
}

/** Confirms, deletes `path` and goes back to the list; `children` says what is lost. */
export function DeleteJobDialog({ job, path, confirmLabel, onClose, children }: { job: Pick<JobSummaryView, 'name'>; path: string; confirmLabel: string; onClose: () => void; children: ComponentChildren }) {
  return (
    <ConfirmDialog
      title={`Delete "${job.name}"?`}
      confirmLabel={confirmLabel}
      onClose={onClose}
      onConfirm={async () => {
        await api.del(path);
        navigate('/backtests');
      }}
    >
      {children}
    </ConfirmDialog>
  );
}
