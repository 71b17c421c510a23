/** Errors: bad input, and the message of anything thrown. */
/** Bad input: the message names the field and the value. Thrown before anything in AWS changes. */
export class InputError extends Error {
  override name = 'InputError';
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Lambda refused an alias write because the alias is not as this run last saw it: another
 * release moved it (a RevisionId precondition failed: `moved`), or created it first (`exists`).
 * The adapter maps PreconditionFailedException / ResourceConflictException to it.
 */
export class AliasConflictError extends Error {
  override name = 'AliasConflictError';
  constructor(
    readonly conflict: 'moved' | 'exists',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
