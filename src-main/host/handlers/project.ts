/** Operations on project files and app-wide information. */
import { readFileSync, statSync } from 'node:fs';
import type { Handlers } from '../engine.ts';
import type { ProjectInfo } from '../../contract/types.ts';
import { AppError } from '../../contract/errors.ts';
import type { Project } from '../../store/project.ts';
import { checkProjectFile } from '../../store/project.ts';
import { listTemplates } from '../templates.ts';
import { jobInfo } from '../../jobs/scheduler.ts';

/** The contract's ProjectInfo for an open project. */
export function projectInfo(project: Project): ProjectInfo {
  const info = project.info();
  return {
    path: project.path,
    name: info.name,
    schemaVersion: info.schemaVersion,
    createdWith: info.createdWith ?? null,
    counts: info.counts,
    bytes: info.bytes,
    fileBytes: statSync(project.path).size,
    interruptedJobs: project.jobs.list({ status: 'interrupted' }).map((j) => jobInfo(project, j.jobId)),
  };
}

export const projectHandlers: Pick<Handlers, 'app.version' | 'template.list' | 'project.create' | 'project.open' | 'project.info' | 'project.check' | 'project.close'> = {
  'app.version'() {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return { version: pkg.version, node: process.version };
  },
  'template.list'() {
    return listTemplates();
  },
  'project.create'({ path, name, template }, { projects }) {
    const templates = template ? listTemplates() : [];
    const chosen = template ? templates.find((t) => t.id === template) : undefined;
    if (template && !chosen) throw new AppError('not-found', `no template "${template}"; templates: ${templates.map((t) => t.id).join(', ')}`);
    const project = projects.create(path, name ?? chosen?.name ?? 'Untitled project');
    if (chosen) project.models.save(chosen.model, { name: chosen.model.name });
    return projectInfo(project);
  },
  'project.open'({ path }, { projects }) {
    return projectInfo(projects.get(path));
  },
  'project.info'({ path }, { projects }) {
    return projectInfo(projects.get(path));
  },
  'project.check'({ path }, { projects }) {
    // An open project is checked through its connection; a closed one is opened read-only, so a
    // damaged file is never written to by the check.
    if (projects.isOpen(path)) return projects.get(path).checkIntegrity();
    return checkProjectFile(projects.key(path));
  },
  'project.close'({ path }, { projects, jobs }) {
    if (jobs.hasRunning(path)) throw new AppError('conflict', `${projects.key(path)} has running jobs: cancel them (job.cancel) before closing the project`);
    return { closed: projects.close(path) };
  },
};
