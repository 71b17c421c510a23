/** Errors: bad input, and the message of anything thrown. */
/** Bad input: the message names the field and the value. Thrown before anything in AWS changes. */
export class InputError extends Error {
  override name = 'InputError';
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
