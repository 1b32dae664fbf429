/** Operations on jobs: list, inspect, cancel, resume, wait. */
import type { Handlers } from '../engine.ts';
import { AppError } from '../../contract/errors.ts';
import { jobInfo } from '../../jobs/scheduler.ts';
import { resumeBank } from './bank.ts';

export const jobHandlers: Pick<Handlers, 'job.list' | 'job.get' | 'job.cancel' | 'job.resume' | 'job.wait'> = {
  'job.list'({ project }, { projects }) {
    const p = projects.get(project);
    return p.jobs.list().map((j) => jobInfo(p, j.jobId));
  },
  'job.get'({ project, jobId }, { projects }) {
    return jobInfo(projects.get(project), jobId);
  },
  'job.cancel'({ project, jobId }, { jobs }) {
    return { cancelled: jobs.cancel(project, jobId) };
  },
  'job.resume'({ project, jobId }, ctx) {
    const p = ctx.projects.get(project);
    const job = jobInfo(p, jobId);
    if (ctx.jobs.isRunning(project, jobId)) throw new AppError('conflict', `job ${jobId} is already running`);
    if (job.status === 'succeeded') throw new AppError('conflict', `job ${jobId} has already finished`);
    if (job.kind !== 'bank') throw new AppError('conflict', `jobs of kind "${job.kind}" cannot be resumed yet`);
    const spec = p.jobs.get(jobId)!.spec as { bankId: number };
    return { jobId: resumeBank(p.path, spec.bankId, ctx, jobId).jobId };
  },
  async 'job.wait'({ project, jobId }, { jobs, projects }) {
    jobInfo(projects.get(project), jobId); // not-found check
    return jobs.wait(project, jobId);
  },
};
