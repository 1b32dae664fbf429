/** The projects an engine has open, one Project per file (by absolute path). */
import { resolve } from 'node:path';
import { openProject, createProject } from '../store/project.ts';
import type { Project } from '../store/project.ts';

export class ProjectRegistry {
  #open = new Map<string, Project>();

  /** The canonical key of a project file. */
  key(path: string): string {
    return resolve(path);
  }

  /** The open project at path, opening it on first use (jobs left running by a crash become interrupted). */
  get(path: string): Project {
    const key = this.key(path);
    let project = this.#open.get(key);
    if (!project) {
      // openProject itself marks jobs whose process is gone as interrupted.
      project = openProject(key);
      this.#open.set(key, project);
    }
    return project;
  }

  /** Create a new project file and keep it open. */
  create(path: string, name: string): Project {
    const key = this.key(path);
    this.close(path);
    const project = createProject(key, { name });
    this.#open.set(key, project);
    return project;
  }

  isOpen(path: string): boolean {
    return this.#open.has(this.key(path));
  }

  close(path: string): boolean {
    const key = this.key(path);
    const project = this.#open.get(key);
    if (!project) return false;
    project.close();
    this.#open.delete(key);
    return true;
  }

  closeAll(): void {
    for (const project of this.#open.values()) project.close();
    this.#open.clear();
  }
}
