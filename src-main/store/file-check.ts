/**
 * Looks at a file before SQLite does. Reading the 100-byte header tells a missing file, a folder,
 * a non-SQLite file, a truncated copy and another application's SQLite file apart without opening
 * a connection — so none of them can be modified, and the user gets a message instead of
 * "file is not a database". Header checks catch truncation, not damage inside the file: that is
 * found when SQLite reads the damaged page (an error 'corrupt') or by the integrity check.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ProjectError } from './errors.ts';
import { APPLICATION_ID } from './migrations.ts';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface FileHeader {
  fileBytes: number;
  pageSize: number;
  /** 0 when the header's page count is not trustworthy. */
  pageCount: number;
  applicationId: number;
  userVersion: number;
}

/** Human size: 1536 → "1.5 KB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/**
 * Checks that `path` is an existing file with an intact SQLite header carrying our application id.
 * Throws ProjectError 'not-found', 'not-a-project' or 'corrupt'; never writes.
 */
export function readProjectHeader(path: string): FileHeader {
  const name = basename(path);
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ProjectError('not-a-project', `${name} is a folder, not an SGNN Studio project file: choose a .sgnn file`, { file: path });
    if (!st.isFile()) throw new ProjectError('not-a-project', `${name} is not a regular file: choose a .sgnn project file`, { file: path });
    size = st.size;
  } catch (err) {
    if (err instanceof ProjectError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ProjectError('not-found', `${path} does not exist: check the path, or create a new project there`, { file: path, cause: err });
    }
    throw new ProjectError('invalid', `${name} cannot be read (${code ?? (err as Error).message}): check that you may read it`, { file: path, cause: err });
  }
  if (size === 0) throw new ProjectError('not-a-project', `${name} is empty (0 bytes), not an SGNN Studio project: choose a .sgnn project file`, { file: path });

  const header = Buffer.alloc(100);
  let got = 0;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    got = readSync(fd, header, 0, 100, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProjectError('invalid', `${name} cannot be read (${code ?? (err as Error).message}): check that you may read it`, { file: path, cause: err });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }

  const magicLen = Math.min(got, SQLITE_MAGIC.length);
  if (!header.subarray(0, magicLen).equals(SQLITE_MAGIC.subarray(0, magicLen))) {
    throw new ProjectError('not-a-project', `${name} is not an SGNN Studio project (it is not an SQLite database): choose a .sgnn project file`, { file: path });
  }
  if (got < 100) {
    throw new ProjectError('corrupt', `${name} is damaged: it is truncated to ${formatBytes(size)}, shorter than a database header; ` +
      'copy it again from where it came from, or open a backup', { file: path });
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new ProjectError('corrupt', `${name} is damaged: its header is invalid (page size ${rawPageSize}); open a backup copy`, { file: path });
  }
  const changeCounter = header.readUInt32BE(24);
  const headerPages = header.readUInt32BE(28);
  const validFor = header.readUInt32BE(92);
  // The page count is only meaningful when SQLite wrote it together with the change counter.
  const pageCount = headerPages > 0 && changeCounter === validFor ? headerPages : 0;
  const applicationId = header.readUInt32BE(68);
  const userVersion = header.readUInt32BE(60);
  // Projects get their application id at creation, before any WAL exists, so the id is always in
  // the file's own header: any other value means another application's database, which is then
  // never opened at all (even a read-only open would leave -wal/-shm files beside it).
  if (applicationId !== APPLICATION_ID) {
    throw new ProjectError('not-a-project', applicationId === 0
      ? `${name} is an SQLite database but not an SGNN Studio project: choose a .sgnn project file`
      : `${name} is an SQLite database of another application (application id 0x${applicationId.toString(16)}), not an SGNN Studio project: choose a .sgnn project file`,
    { file: path });
  }
  if (pageCount > 0 && size < pageCount * pageSize) {
    throw new ProjectError('corrupt', `${name} is damaged: it is truncated (${formatBytes(size)} of the ${formatBytes(pageCount * pageSize)} it should have), ` +
      'perhaps by an interrupted copy or download; copy it again from where it came from, or open a backup', { file: path });
  }
  return { fileBytes: size, pageSize, pageCount, applicationId, userVersion };
}
