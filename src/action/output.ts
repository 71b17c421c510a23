/**
 * The one way text leaves the action for the log. Anything the action prints may carry text it
 * does not control (a function's log lines and error messages, a smoke response, an alias
 * description, a commit string, a value from the stages file, an AWS error): the runner must find
 * no workflow command in it.
 *
 * The rules, from actions/runner (src/Runner.Common/ActionCommand.cs, ActionCommandManager.cs and
 * src/Runner.Sdk/ProcessInvoker.cs, read at 258d6c8):
 * - The runner reads stdout and stderr with StreamReader.ReadLine, so `\n`, `\r\n` AND a lone `\r`
 *   end a line. Each line goes to ActionCommandManager.TryProcessCommand, which tries TryParseV2,
 *   then TryParse.
 * - TryParseV2: `message.TrimStart()` (C# Trim removes what char.IsWhiteSpace says is white space:
 *   Unicode Zs, U+2028, U+2029, U+0009–U+000D, U+0085, U+00A0), then `StartsWith("::")`, then the
 *   data starts after the next `IndexOf("::", 2)`: `::name k=v,k=v::data`.
 * - TryParse (legacy): `IndexOf("##[")` ANYWHERE in the line, then the next `]`:
 *   `##[name k=v;k=v]data`.
 * - Command names are matched case-insensitively against the registered ones (set-output,
 *   save-state, add-mask, add-path, set-env, add-matcher, remove-matcher, debug, warning, error,
 *   notice, group, endgroup, echo, stop-commands, and the token a stop-commands named).
 * - `StartsWith(string)` and `IndexOf(string)` are culture-sensitive in .NET, and the runner (on
 *   ICU) does not ask for ordinal: completely ignorable characters (U+200B, U+2060, U+00AD, NUL,
 *   variation selectors…) are skipped when matching, so `:\u200B:` STARTS WITH `::` and `#\u200B#[`
 *   contains `##[` (Node's Intl.Collator, the same ICU, agrees: `compare('::', ':\u200B:') === 0`).
 *   A zero-width space between the marks would then be safe only by an accident of the runner's
 *   offset arithmetic (it cuts the name at index 2, resp. `##[`'s index + 3, counting the ignorable),
 *   so it is not used; and ignorables an attacker puts between the marks do not hide them here.
 *
 * What this module does, per line (lines split at `\r\n` and `\n`; a lone `\r` is shown as `␍`, so
 * it cannot start a line of its own):
 * - a line whose start, skipping white space and ignorable characters, is `:` then (skipping
 *   ignorables) `:` gets a MIDDLE DOT after its first colon: `::save-state` → `:·:save-state`;
 * - every `#`, `#`, `[` (with ignorables, if any, between them) gets a middle dot after its first
 *   `#`: `##[set-output` → `#·#[set-output`.
 * The middle dot is visible (a reader sees the text was defused), is neither white space nor
 * ignorable (ICU gives it a primary weight), and is none of `:`, `#`, `[`, so inserting it cannot
 * make a new mark. Text without these marks passes unchanged.
 *
 * Annotations (warning, error) are one command line built by @actions/core, whose escapeData turns
 * `%`, `\r`, `\n` of the message into %25, %0D, %0A, and whose escapeProperty does the same and also
 * `:` → %3A, `,` → %2C in the title: neither can end the line or the command's header early.
 */
import { core } from './runner.js';

/** Shown in place of a lone carriage return, which the runner would take for a line break. */
export const CARRIAGE_RETURN = '\u240D';
/** Inserted to break a command mark (`::` at a line's start, `##[` anywhere). */
export const DEFUSER = '\u00B7';

// White space as C#'s char.IsWhiteSpace (and JavaScript's) has it.
const WHITE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF';
// Characters ICU collation may skip when matching: default ignorables, format and control characters.
const IGNORABLE = '\\p{Default_Ignorable_Code_Point}\\p{Cf}\\p{Cc}';
const LEADING_COLONS = new RegExp(`^([${WHITE}${IGNORABLE}]*:)(?=[${IGNORABLE}]*:)`, 'u');
const LEGACY_MARK = new RegExp(`#(?=[${IGNORABLE}]*#[${IGNORABLE}]*\\[)`, 'gu');

/** One line (no line breaks in it) the runner recognises no command in. */
function defuseLine(line: string): string {
  let out = line.replace(LEGACY_MARK, `#${DEFUSER}`);
  out = out.replace(LEADING_COLONS, `$1${DEFUSER}`);
  return out;
}

/** The text as lines the runner reads no command from, joined with `\n`. */
export function defuse(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, CARRIAGE_RETURN)
    .split('\n')
    .map(defuseLine)
    .join('\n');
}

/** Print text to the log (stdout), whatever it contains, without the runner finding a command in it. */
export function info(text: string): void {
  core.info(defuse(text));
}

/**
 * A warning annotation. @actions/core escapes the message (escapeData), so it stays one command
 * line; the runner shows it unescaped in the annotation.
 */
export function warn(text: string): void {
  core.warning(text);
}

let openGroups = 0;

/**
 * `work`, with what it prints folded under `title` in the log (`::group::` … `::endgroup::`). The
 * runner has one level of groups: inside a group, another is not opened (its lines stay in the
 * outer one). The title is defused like any line, then escaped by the runner module (escapeData).
 */
export async function group<T>(title: string, work: () => Promise<T>): Promise<T> {
  if (openGroups > 0) return work();
  openGroups++;
  core.startGroup(defuse(title).replace(/\n/g, ' '));
  try {
    return await work();
  } finally {
    core.endGroup();
    openGroups--;
  }
}

/** An error annotation; the title, escaped by @actions/core's escapeProperty, cannot end the header. */
export function error(text: string, title?: string): void {
  core.error(text, title === undefined ? {} : { title });
}
