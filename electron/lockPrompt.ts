import type { BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
import { LockConflictError } from './services/store/lock';

export interface LockPromptDeps {
  dialog: Pick<Dialog, 'showMessageBox'>;
  /** The dialog's parent, when there is a window. */
  window: BrowserWindow | null;
}

/**
 * Opens a project with `open`; when another Margin holds its lock, asks whether to take the
 * project over and, if the user says so, opens it again taking the lock. Resolves null when
 * the user cancels; any other failure is thrown as it was.
 */
export async function openOrTakeOver<T>(deps: LockPromptDeps, open: (takeOverLock: boolean) => Promise<T>): Promise<T | null> {
  try {
    return await open(false);
  } catch (error) {
    if (!(error instanceof LockConflictError)) throw error;
    const options: MessageBoxOptions = {
      type: 'warning',
      title: 'Margin',
      message: error.summary,
      detail: error.holderRunning
        ? 'That Margin is still running: close the project there first. Take over only if it has stopped responding.'
        : 'Take over only if that Margin is no longer running: two Margins writing one project can undo each other’s work.',
      buttons: ['Take over', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    };
    const { response } = deps.window ? await deps.dialog.showMessageBox(deps.window, options) : await deps.dialog.showMessageBox(options);
    return response === 0 ? open(true) : null;
  }
}
