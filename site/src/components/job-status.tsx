/** Status of a backtest or optimization: a badge, and a progress bar while it runs. */
import type { JobSummaryView } from '../../../shared/schemas/backtest-views.js';

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
