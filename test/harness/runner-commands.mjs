// What a GitHub runner would take for a workflow command in a step's output: an emulation of
// actions/runner's parsing (read at 258d6c8), so that tests can prove the action prints none
// but those it means to.
//
// - src/Runner.Sdk/ProcessInvoker.cs reads stdout and stderr with StreamReader.ReadLine: `\r\n`,
//   `\n` and a lone `\r` each end a line.
// - src/Runner.Worker/ActionCommandManager.cs, TryProcessCommand: each line is tried with
//   ActionCommand.TryParseV2, then ActionCommand.TryParse; the command name must be registered
//   (case-insensitive: the extensions below, stop-commands, and a stop token once named).
// - src/Runner.Common/ActionCommand.cs, TryParseV2: `message.TrimStart()` (char.IsWhiteSpace),
//   `StartsWith("::")`, then `IndexOf("::", 2)` ends the header; name up to the first space;
//   properties after it, `Trim()`med, split at `,`, each at the first `=`; data after the `::`.
//   Properties unescape %0D %0A %3A %2C %25, data %0D %0A %25.
// - TryParse (legacy): `IndexOf("##[")` anywhere in the line, then the next `]`; properties split
//   at `;`; properties and data unescape %3B %0D %0A %5D %25.
// - StartsWith(string) and IndexOf(string) are culture-sensitive in .NET: on ICU, characters that
//   collate as completely ignorable (U+200B, U+2060, U+00AD, NUL, …) are skipped while matching.
//   This emulation reports a command when EITHER an ordinal or an ignorable-skipping match parses
//   (so it is, if anything, stricter than the runner), and it reports commands after a
//   stop-commands too (a stop-commands is itself reported).

/** The commands actions/runner registers (ActionCommandManager.cs, `Command =>`). */
export const RUNNER_COMMANDS = [
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
];

/** The commands the action emits on purpose; `add-mask` only for the values a test names. */
export const ACTION_OWN_COMMANDS = ['error', 'warning', 'notice', 'debug', 'group', 'endgroup'];

// C# char.IsWhiteSpace: Zs, U+2028, U+2029, U+0009–U+000D, U+0085, U+00A0.
const isWhiteSpace = (ch) => /^[\t\n\v\f\r\u0085\u2028\u2029\p{Zs}]$/u.test(ch);
const collator = new Intl.Collator('en');
const ignorable = new Map();
/** Completely ignorable for ICU collation (what a culture-sensitive .NET match skips). */
function isIgnorable(ch) {
  let known = ignorable.get(ch);
  if (known === undefined) {
    known = collator.compare(ch, '') === 0;
    ignorable.set(ch, known);
  }
  return known;
}

/** Where `pattern` matches `text` at `at`, skipping ignorables after its first character; the end, or -1. */
function matchAt(text, at, pattern) {
  let i = at;
  for (let p = 0; p < pattern.length; p++) {
    if (p > 0) while (i < text.length && isIgnorable(text[i])) i++;
    if (text[i] !== pattern[p]) return -1;
    i++;
  }
  return i;
}

const finders = {
  ordinal: {
    startsWith: (text, pattern) => text.startsWith(pattern),
    indexOf: (text, pattern, from = 0) => text.indexOf(pattern, from),
  },
  culture: {
    startsWith: (text, pattern) => {
      let i = 0;
      while (i < text.length && isIgnorable(text[i])) i++;
      return matchAt(text, i, pattern) >= 0;
    },
    indexOf: (text, pattern, from = 0) => {
      for (let i = from; i < text.length; i++) if (matchAt(text, i, pattern) >= 0) return i;
      return -1;
    },
  },
};

const unescapeWith = (pairs) => (text) => pairs.reduce((s, [escaped, plain]) => s.split(escaped).join(plain), text ?? '');
const unescapeLegacy = unescapeWith([['%3B', ';'], ['%0D', '\r'], ['%0A', '\n'], ['%5D', ']'], ['%25', '%']]);
const unescapeProperty = unescapeWith([['%0D', '\r'], ['%0A', '\n'], ['%3A', ':'], ['%2C', ','], ['%25', '%']]);
const unescapeData = unescapeWith([['%0D', '\r'], ['%0A', '\n'], ['%25', '%']]);

function properties(text, separator, unescape) {
  const found = {};
  for (const pair of text.split(separator).filter(Boolean)) {
    // C# Split('=', 2, RemoveEmptyEntries)
    const at = pair.indexOf('=');
    const parts = at < 0 ? [pair] : [pair.slice(0, at), pair.slice(at + 1)].filter(Boolean);
    if (parts.length === 2) found[parts[0]] = unescape(parts[1]);
  }
  return found;
}

function parseV2(line, find, registered) {
  let start = 0;
  while (start < line.length && isWhiteSpace(line[start])) start++;
  const message = line.slice(start);
  if (!find.startsWith(message, '::')) return null;
  const end = find.indexOf(message, '::', 2);
  if (end < 0) return null;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command.toLowerCase())) return null;
  return { command, properties: space > 0 ? properties(info.slice(space + 1).trim(), ',', unescapeProperty) : {}, data: unescapeData(message.slice(end + 2)) };
}

function parseLegacy(line, find, registered) {
  const prefix = find.indexOf(line, '##[');
  if (prefix < 0) return null;
  const bracket = line.indexOf(']', prefix);
  if (bracket < 0) return null;
  const info = line.slice(prefix + 3, bracket);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command.toLowerCase())) return null;
  return { command, properties: space > 0 ? properties(info.slice(space + 1), ';', unescapeLegacy) : {}, data: unescapeLegacy(line.slice(bracket + 1)) };
}

/** The command the runner would find in one line, or null. */
export function parseCommandLine(line, registered = new Set(RUNNER_COMMANDS)) {
  if (!line) return null;
  for (const find of [finders.ordinal, finders.culture]) {
    const v2 = parseV2(line, find, registered);
    if (v2) return { ...v2, form: 'v2' };
    const legacy = parseLegacy(line, find, registered);
    if (legacy) return { ...legacy, form: 'legacy' };
  }
  return null;
}

/** The lines the runner reads from a stream (StreamReader.ReadLine: `\r\n`, `\n`, `\r`). */
export function runnerLines(text) {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Every command the runner would recognise in a stream's text, with the line it came from. */
export function runnerCommands(text) {
  const registered = new Set(RUNNER_COMMANDS);
  const found = [];
  for (const line of runnerLines(text)) {
    const command = parseCommandLine(line, registered);
    if (!command) continue;
    found.push({ ...command, line });
    // A stop-commands registers its token as a command (the runner then waits for `::token::`).
    if (command.command.toLowerCase() === 'stop-commands' && command.data) registered.add(command.data.toLowerCase());
  }
  return found;
}

/**
 * The commands in stdout and stderr the action does not emit on purpose: anything but those in
 * `allow` (ACTION_OWN_COMMANDS by default), and `add-mask` of a value not in `masks`.
 */
export function strayCommands({ stdout, stderr }, { masks = [], allow = ACTION_OWN_COMMANDS } = {}) {
  const allowed = new Set(allow.map((c) => c.toLowerCase()));
  const stray = [];
  for (const [stream, text] of [['stdout', stdout], ['stderr', stderr]]) {
    for (const command of runnerCommands(text ?? '')) {
      const name = command.command.toLowerCase();
      const ok = command.form === 'v2' && (allowed.has(name) || (name === 'add-mask' && masks.includes(command.data)));
      if (!ok) stray.push({ ...command, stream });
    }
  }
  return stray;
}

/** Throws, naming the offending lines, when the output holds a command the action did not mean. */
export function assertNoStrayCommands(streams, options) {
  const stray = strayCommands(streams, options);
  if (stray.length === 0) return;
  const lines = stray.map((c) => `  ${c.stream}: ${c.command} ${JSON.stringify(c.line)}`);
  throw new Error(`the runner would run ${stray.length} command(s) the action did not mean to emit:\n${lines.join('\n')}`);
}
