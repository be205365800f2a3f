import path from 'node:path';
import { ZodError } from 'zod';
import type { ErrorCode } from '../../shared/api';
import { rendererDir } from './store/paths';

/** An error the user should read: its message names the file or field at fault. */
export class MarginError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MarginError';
  }
}

const TOO_MANY_FILES = 'too many files are open at once; close some programs and try again';

/** What a file system error code means, in words a user can act on. */
const FS_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a folder stands where the file should be',
  ENOTDIR: 'a file stands where a folder should be',
  EEXIST: 'a file stands where a folder should be',
  EROFS: 'the disk is read-only',
  EMFILE: TOO_MANY_FILES,
  ENFILE: TOO_MANY_FILES,
  EIO: 'the disk reported an input/output error',
  ENOENT: 'it does not exist (it was moved or removed)',
  ELOOP: 'it is a link that leads back to itself',
  ENAMETOOLONG: 'its name is too long for the disk',
  EBUSY: 'another program is using it',
  ETIMEDOUT: 'the disk or network drive did not answer in time',
};

/** What to do about each, when the reason does not already say. */
const FS_ADVICE: Record<string, string> = {
  ENOSPC: 'Free some disk space and try again.',
  EDQUOT: 'Free some space and try again.',
  EACCES: "Check the folder's permissions and try again.",
  EPERM: "Check the folder's permissions and try again.",
  EROFS: 'Move the project to a disk Margin can write to.',
  EBUSY: 'Close the other program and try again.',
  ETIMEDOUT: 'Check the drive and try again.',
  EIO: 'Check the disk, then try again.',
  ENOENT: 'Check that it is still there, then try again.',
  EISDIR: 'Move what stands in the way, then try again.',
  ENOTDIR: 'Move what stands in the way, then try again.',
  EEXIST: 'Move what stands in the way, then try again.',
  ELOOP: 'Remove or repair the link, then try again.',
  ENAMETOOLONG: 'Use a shorter name, or a folder nearer the top of the disk.',
};

function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** A file system error in words a user can act on, without errno codes or syscall names. */
export function plainReason(error: Error): string {
  // A MarginError made from a file system error (savingFailed) says the same as its cause.
  const code = errnoCode(error) ?? errnoCode(error.cause);
  if (code && FS_REASONS[code]) return FS_REASONS[code];
  if (error instanceof MarginError) return error.message;
  return code ? 'the file system refused the operation' : error.message;
}

/**
 * The error for a file that could not be written: which file, why, what to do, and that the
 * version already on disk is as it was (writes go to a temporary file first).
 */
export function savingFailed(file: string, error: unknown): MarginError {
  if (error instanceof MarginError) return error;
  const code = errnoCode(error);
  const reason = code ? (FS_REASONS[code] ?? 'the file system refused the operation') : 'the write did not finish';
  const advice = code ? (FS_ADVICE[code] ?? (reason === TOO_MANY_FILES ? '' : 'Try again.')) : 'Try again.';
  return new MarginError('store', `Could not save ${file}: ${reason}. ${advice ? `${advice} ` : ''}The version saved before is unchanged.`.trim(), undefined, {
    cause: error,
  });
}

/**
 * What the user reads about any error that reached a window or the command line: a MarginError
 * as written; a file system error as which file, why and what to do; invalid data as the fields
 * at fault; anything else as what failed and what to do, never its text (a stack, a parser's
 * internals or the app's own paths mean nothing to the user and are logged instead).
 */
export function userMessage(error: unknown, action: string, details = "the details are in Margin's log"): string {
  if (error instanceof MarginError) return error.message;
  return `Could not ${action}: ${explain(error, details)}`;
}

/** Why an operation failed and what to do, for the end of a message that already names the operation. */
export function explain(error: unknown, details = "the details are in Margin's log"): string {
  const code = errnoCode(error);
  if (code) {
    const file = shownPath((error as NodeJS.ErrnoException).path);
    const reason = FS_REASONS[code] ?? 'the file system refused the operation';
    const advice = FS_ADVICE[code] ?? (reason === TOO_MANY_FILES ? '' : 'Try again.');
    return `${file ? `${file}: ` : ''}${reason}.${advice ? ` ${advice}` : ''}`;
  }
  if (error instanceof ZodError) {
    const fields = error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'the data'}: ${i.message}`);
    return `${fields.join('; ')}. Correct ${fields.length === 1 ? 'that field' : 'those fields'} and try again.`;
  }
  return `something went wrong that Margin did not expect. Try again; if it happens again, restart Margin and report what you did (${details}).`;
}

/** A user's file by its full path; a file of Margin itself by its name alone (where the app is installed is no help). */
function shownPath(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const appRoot = path.dirname(path.dirname(rendererDir()));
  return path.resolve(file).startsWith(appRoot + path.sep) ? `Margin's own file ${path.basename(file)}` : file;
}

/** The envelope code of any error: a file system error is the store's; the rest not the user's doing. */
export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof MarginError) return error.code;
  return errnoCode(error) ? 'store' : 'internal';
}

/** An API method's name as words for a message ("createAnnotation" → "create annotation"). */
export function actionOf(method: string): string {
  return method.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
