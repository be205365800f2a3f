import type { ErrorCode } from '../../shared/api';

/** An error the user should read: its message names the file or field at fault. */
export class MarginError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: string[],
  ) {
    super(message);
    this.name = 'MarginError';
  }
}
