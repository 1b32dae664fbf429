/** Reports: self-contained HTML documents assembled from the project. */
import { checkName, missing, type StoreContext } from './context.ts';
import { ProjectError } from './errors.ts';

export interface ReportSummary {
  reportId: number;
  name: string;
  bytes: number;
  createdAt: string;
}

export interface StoredReport extends ReportSummary {
  html: string;
}

/** Reports of a project. */
export class ReportRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Stores a report; returns its id. */
  save(input: { name: string; html: string }): number {
    const ctx = this.#ctx;
    checkName(input.name, 'the report name');
    if (typeof input.html !== 'string') throw new ProjectError('invalid', `report "${input.name}": html must be a string`);
    return ctx.write(() => Number(ctx.stmt('INSERT INTO reports (name, html, created_at) VALUES (?, ?, ?)')
      .run(input.name, input.html, ctx.now().toISOString()).lastInsertRowid));
  }

  /** Every report (without its HTML), oldest first. */
  list(): ReportSummary[] {
    return this.#ctx.read(() => this.#ctx.stmt('SELECT id AS reportId, name, length(CAST(html AS BLOB)) AS bytes, created_at AS createdAt FROM reports ORDER BY id').all()) as ReportSummary[];
  }

  /** One report with its HTML, or undefined. */
  get(id: number): StoredReport | undefined {
    return this.#ctx.read(() => this.#ctx.stmt('SELECT id AS reportId, name, length(CAST(html AS BLOB)) AS bytes, created_at AS createdAt, html FROM reports WHERE id = ?').get(id)) as StoredReport | undefined;
  }

  /** Deletes a report. */
  remove(id: number): void {
    const ctx = this.#ctx;
    ctx.write(() => {
      if (ctx.stmt('DELETE FROM reports WHERE id = ?').run(id).changes === 0) throw missing(ctx, `report ${id}`);
    });
  }
}
