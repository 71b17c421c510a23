/**
 * Escaping for the job summary (GitHub-flavoured Markdown) and the deployment status (plain
 * text). Everything the renderers show that this action did not write itself goes through here:
 * the function's own error lines, smoke bodies and problems, AWS and HTTP error messages, names
 * and values from the stages file, versions, commits, URLs. Our own labels, numbers and emoji
 * are written as they are. Pure.
 *
 * The rules:
 * - text in prose and table cells ({@link inline}): one line (line breaks, tabs and runs of
 *   spaces become one space; control and bidi-override characters dropped), at most `max`
 *   characters, and every character that could start Markdown or HTML written as an entity
 *   (`& < > " ' \ \` * _ ~ [ ] ! | $`; a leading `# - + =` or `1.`), so entities can never become
 *   structure (CommonMark: "entity references cannot be used in place of structural symbols").
 *   GitHub's mentions, issue references and URL autolinks work on the rendered text, where an
 *   entity is already decoded, so those are broken by a zero-width space instead (what Renovate
 *   does): `@&#8203;octocat`, `#&#8203;123`, `GH-&#8203;123`; bare URLs (`http://`, `https://`,
 *   `ftp://`, `www.`) become code spans, readable and copyable but not links.
 * - code ({@link codeSpan}, {@link codeBlock}): nothing is interpreted inside, so the only rule
 *   is the fence: longer than any run of backticks inside (CommonMark). In a table cell a `|`
 *   still ends the cell, even in a code span, so there it is written `\|` (GFM).
 * - Mermaid ({@link mermaidText}): letters, digits, spaces and `._-` only.
 * - the whole summary ({@link fitSummary}): under GitHub's limit of 1 MiB per step, cut at a
 *   line with a note, open code blocks and `<details>` closed.
 */

/** Characters of one untrusted line or cell, unless a renderer says otherwise. */
export const LINE_CAP = 300;

/**
 * GitHub refuses a step summary over 1 MiB (1,048,576 bytes: "supports content up to a size of
 * 1024k") and shows none of it. The budget leaves room below that.
 */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
export const SUMMARY_BUDGET_BYTES = 1_000_000;

/** C0 and C1 controls but tab and line breaks, DEL, and the bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;

/** One line: control characters dropped, any whitespace run (line breaks included) one space, trimmed. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, '').replace(LINE_BREAK, ' ').replace(/\s+/g, ' ').trim();
}

/** At most `max` characters (code points), with `…` when cut. */
export function capChars(text: string, max = LINE_CAP): string {
  if (text.length <= max) return text;
  const chars = Array.from(text.slice(0, 2 * max + 2));
  if (chars.length <= max && text.length <= 2 * max + 2) return text;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/**
 * {@link oneLine} then {@link capChars}, looking at no more of `text` than it could need: a 5 MB
 * body costs what its first few kilobytes cost.
 */
export function clip(text: string, max = LINE_CAP): string {
  const room = 8 * max + 64;
  if (text.length <= room) return capChars(oneLine(text), max);
  // Not half of a surrogate pair at the cut.
  const line = oneLine(text.slice(0, room).replace(/[\uD800-\uDBFF]$/, ''));
  return Array.from(line).length < max ? `${line}…` : capChars(line, max);
}

const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '[': '&#91;',
  ']': '&#93;',
  '!': '&#33;',
  '|': '&#124;',
  $: '&#36;',
};
/** One pass: what is escaped, and where a zero-width space goes (after `@`, `#` before a digit, `GH-` before a digit). */
const SPECIAL = /[&<>"'\\`*_~[\]!|$@]|#(?=\d)|\bGH-(?=\d)/gi;
const ZWSP = '&#8203;';

/** Bare URLs GitHub would turn into links (cmark-gfm's autolink extension: these schemes, and `www.`). */
const BARE_URL = /(?:https?|ftp):\/\/[^\s<>`|]*|www\.[^\s<>`|]*/gi;

/**
 * Untrusted text for prose or a table cell: one line, at most `max` characters, rendered by
 * GitHub as the same characters and nothing else (no tag, heading, list, quote, emphasis, link,
 * image, mention, issue reference, math; `|` does not end a cell).
 */
export function inline(text: string, max = LINE_CAP): string {
  const line = clip(text, max);
  let out = '';
  let at = 0;
  for (const match of line.matchAll(BARE_URL)) {
    out += escapeText(line.slice(at, match.index), at === 0);
    out += codeSpan(match[0]);
    at = match.index + match[0].length;
  }
  return out + escapeText(line.slice(at), at === 0);
}

function escapeText(text: string, atLineStart: boolean): string {
  let out = text.replace(SPECIAL, (c) => ENTITY[c] ?? `${c}${ZWSP}`);
  if (atLineStart) {
    // What starts a heading or a list only at the start of a line (a `>` is an entity already).
    out = out.replace(/^[#+=-]/, (c) => `&#${c.charCodeAt(0)};`).replace(/^(\d{1,9})([.)])/, (_m, digits: string, mark: string) => `${digits}&#${mark.charCodeAt(0)};`);
  }
  return out;
}

/** The longest run of backticks in `text`. */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * Untrusted text as an inline code span: one line, at most `max` characters, the fence longer
 * than any backtick run inside. `cell`: it sits in a table row, where `|` is written `\|`.
 */
export function codeSpan(text: string, options: { cell?: boolean; max?: number } = {}): string {
  let content = clip(text, options.max ?? LINE_CAP);
  if (content === '') return '';
  if (options.cell) content = content.replace(/\|/g, '\\|');
  const fence = '`'.repeat(longestBacktickRun(content) + 1);
  // A span that starts or ends with a backtick needs a space inside its fence (stripped again).
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** `_… and 3 more attempts_`, or nothing. */
export function moreNote(more: number, what: string): string[] {
  return more > 0 ? [`_… and ${more} more ${what}_`] : [];
}

/**
 * Untrusted lines as a fenced code block: at most `maxLines` lines (then a note below the block),
 * each at most `maxLineChars` characters, control characters (but tabs) dropped; the fence is
 * longer than any backtick run inside, so no line can close it. `info` is ours (`text`, `sh`).
 */
export function codeBlock(lines: readonly string[], info = '', options: { maxLines?: number; maxLineChars?: number } = {}): string {
  const maxLines = options.maxLines ?? 50;
  const maxLineChars = options.maxLineChars ?? LINE_CAP;
  const content: string[] = [];
  let total = 0;
  for (const [index, line] of lines.entries()) {
    if (content.length >= maxLines) {
      // What is not shown is counted, not read: one line each.
      total += lines.length - index;
      break;
    }
    // Only as much of a line as could be shown is split.
    for (const part of line.slice(0, (maxLines - content.length) * (maxLineChars + 2)).split(LINE_BREAK)) {
      total++;
      if (content.length < maxLines) content.push(capChars(part.replace(CONTROL, ''), maxLineChars));
    }
  }
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content.join('\n')) + 1));
  return [`${fence}${info}`, ...content, fence, ...moreNote(total - content.length, total - content.length === 1 ? 'line' : 'lines')].join('\n');
}

/** Text for a Mermaid chart (titles, sections, labels): letters, digits, spaces and `._-`, the rest `_`. */
export function mermaidText(text: string, max = 60): string {
  return clip(text, max).replace(/[^\p{L}\p{N} ._-]/gu, '_');
}

/**
 * Plain text that GitHub shows as it is, like a deployment status's description: one line, no
 * control characters, and no `@mention` (a zero-width space after every `@`).
 */
export function plainText(text: string): string {
  return clip(text, 1000).replace(/@/g, '@\u200B');
}

/** A whole summary under `budget` bytes (UTF-8): cut at a line, what was open closed, and a note. */
export function fitSummary(markdown: string, budget = SUMMARY_BUDGET_BYTES): string {
  const bytes = Buffer.byteLength(markdown, 'utf8');
  if (bytes <= budget) return markdown;
  const note = `_The summary was cut here: it came to ${(bytes / (1024 * 1024)).toFixed(1)} MB, and GitHub shows at most 1 MiB per step. The log has the rest._`;
  // Room for the note, a closing fence and a few `</details>`.
  const room = budget - Buffer.byteLength(note) - 1024;
  const kept: string[] = [];
  let size = 0;
  for (const line of markdown.split('\n')) {
    const lineBytes = Buffer.byteLength(line, 'utf8') + 1;
    if (size + lineBytes > room) break;
    kept.push(line);
    size += lineBytes;
  }
  // Close what the cut left open: a code block, and <details> outside code blocks.
  let fence: string | undefined;
  let details = 0;
  for (const line of kept) {
    if (fence !== undefined) {
      if (new RegExp(`^ {0,3}${fence}\`*\\s*$`).test(line)) fence = undefined;
      continue;
    }
    const open = /^ {0,3}(`{3,})/.exec(line);
    if (open?.[1] !== undefined) fence = open[1];
    else if (line.startsWith('<details')) details++;
    else if (line.startsWith('</details>')) details = Math.max(0, details - 1);
  }
  const closers = [...(fence !== undefined ? [fence] : []), ...Array<string>(Math.min(details, 10)).fill('</details>')];
  return [...kept, ...closers, '', note, ''].join('\n');
}
