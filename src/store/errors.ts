/**
 * A problem with what the user gave us (a file, an option, a config): reported as one line on stderr with a
 * non-zero exit, never as a stack trace.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
