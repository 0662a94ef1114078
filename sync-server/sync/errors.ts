/**
 * What a service can refuse, in its own terms. The HTTP layer (http/app.ts) maps each
 * kind to a status; the CLI prints the message.
 */
export type DomainErrorKind = 'not_found' | 'invalid' | 'conflict';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A workbook or spreadsheet this service does not know. */
export class WorkbookNotFound extends DomainError {
  constructor(message: string) {
    super('not_found', message);
    this.name = 'WorkbookNotFound';
  }
}
