/**
 * `expect-body` regexes on RE2 (re2js, pure JS): matching takes time linear in the body, so a
 * pattern like /^(a+)+$/ cannot block the event loop. RE2 has no backreferences and no
 * lookaround; those patterns are refused when the stage is resolved (src/stages/values.ts).
 */
import { RE2JS } from 're2js';

/** The flags `expect-body` accepts, and RE2's for each. */
export const BODY_FLAGS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

/** Compile `/source/flags`; throws (RE2JSSyntaxException or Error) on syntax RE2 refuses or a flag it lacks. */
export function compileBodyRegex(source: string, flags: string): RE2JS {
  let bits = 0;
  for (const flag of flags) {
    const bit = BODY_FLAGS[flag];
    if (bit === undefined) throw new Error(`unsupported flag ${JSON.stringify(flag)} (use i, m or s)`);
    bits |= bit;
  }
  return RE2JS.compile(source, bits);
}

/** Whether `/source/flags` finds a match anywhere in `body` (like RegExp.prototype.test). */
export function bodyRegexMatches(source: string, flags: string, body: string): boolean {
  return compileBodyRegex(source, flags).matcher(body).find();
}
