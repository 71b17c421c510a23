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
 * An error's message with its causes, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:9
 * (ECONNREFUSED)`: undici's "fetch failed" alone says nothing.
 */
export function errorChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      const code = (current as NodeJS.ErrnoException).code;
      const text = code !== undefined && !current.message.includes(code) ? `${current.message} (${code})` : current.message;
      if (text !== '' && !parts.includes(text)) parts.push(text);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(': ') || 'unknown error';
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
