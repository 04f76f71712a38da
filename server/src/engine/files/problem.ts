import * as fs from 'node:fs';

/** Why a file was left out. `message` is plain words, fit to show after the path. */
export type ProblemKind = 'missing' | 'unreadable' | 'not-a-file' | 'binary' | 'encoding' | 'too-large' | 'analysis';

export interface FileProblem {
  path: string;
  kind: ProblemKind;
  message: string;
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'path too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** Turns an fs error into a problem, e.g. "cannot read: permission denied (EACCES)". */
export function fsProblem(file: string, err: unknown, doing = 'cannot read'): FileProblem {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  let words = ERRNO_WORDS[code] ?? (err instanceof Error ? err.message : String(err));
  // ENOENT on a path that `ls` shows is confusing unless we say why.
  if (code === 'ENOENT' && isSymlink(file)) words = 'broken symbolic link';
  return {
    path: file,
    kind: code === 'ENOENT' ? 'missing' : 'unreadable',
    message: `${doing}: ${words}${code ? ` (${code})` : ''}`,
  };
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
