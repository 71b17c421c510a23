/**
 * Hostile text for the renderers, and an oracle for what GitHub would make live of a summary:
 * it drops fenced code blocks and code spans (CommonMark: nothing inside them is interpreted),
 * then lists whatever is left that could render as a tag, a heading, a link, a mention, a bare
 * URL or an issue reference, or break a table row. Shared by the renderer tests.
 */
import { expect } from 'vitest';

export const TAGS = '</details></td></tr></table><img src=x onerror=alert(1)>';
export const HOSTILE_LINES = [
  TAGS,
  '```',
  '````',
  '`````````` ten backticks `',
  '## ✅ deployed',
  '@octocat and @org/team, mail me@example.com',
  '[click](https://evil)',
  '![pixel](https://evil/p.png) <https://evil/auto> www.evil.com',
  '#123 and GH-45 and acme/notes#7',
  '$\\color{green}{\\text{deployed}}$ **bold** _em_ ~~gone~~ \\| pipe | pipe',
  '<!-- open comment',
  '\u202Eevil\u0007\u001b[31m',
  '- a list',
  '1. ordered',
  '> quoted',
  '&lt;already&gt; &amp; &#64;entities',
];
/** Everything at once, with every kind of line break between. */
export const HOSTILE = HOSTILE_LINES.map((line, i) => line + ['\n', '\r\n', '\r', '\u2028'][i % 4]).join('');

/** The summary's own markup: tags and quote markers the renderers write themselves. */
const OWN_TAGS = /<details( open)?><summary>[A-Za-z ]+<\/summary>|<\/details>/g;
const OWN_HEADINGS = [/^## stage-deploy /, /^### What went wrong with version /];
const OWN_MARKERS = ['> [!CAUTION]', '> [!WARNING]'];
const OWN_LINK = /^\[Workflow run\]\(https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/actions\/runs\/\d+(\/attempts\/\d+)?\)$/;

/** The lines of `markdown` outside fenced code blocks; throws if a fence never closes. */
export function proseLines(markdown: string): string[] {
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of markdown.split(/\r\n|\r|\n/)) {
    if (fence) {
      const close = new RegExp(`^ {0,3}(\\${fence.char}{${fence.length},})\\s*$`).exec(line);
      if (close) fence = undefined;
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open?.[1]) {
      fence = { char: open[1][0]!, length: open[1].length };
      continue;
    }
    out.push(line);
  }
  if (fence) throw new Error('a code block is left open');
  return out;
}

/** A line without its code spans (a backtick run closed by the next run of the same length). */
export function withoutCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      out += line[i];
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    let j = i + n;
    let closed = -1;
    while (j < line.length) {
      if (line[j] === '`') {
        let m = 0;
        while (line[j + m] === '`') m++;
        if (m === n) {
          closed = j;
          break;
        }
        j += m;
      } else j++;
    }
    if (closed < 0) {
      out += line.slice(i, i + n);
      i += n;
    } else i = closed + n;
  }
  return out;
}

/** What would be live in `markdown`: each finding a short description. */
export function liveParts(markdown: string): string[] {
  const found: string[] = [];
  let tableCells: number | undefined;
  for (const raw of proseLines(markdown)) {
    // Our one link, to the workflow run (the runner's own URL).
    if (OWN_LINK.test(raw)) continue;
    const line = withoutCodeSpans(raw).replace(OWN_TAGS, '');
    const bare = OWN_MARKERS.reduce((l, m) => (l.startsWith(m) ? l.slice(m.length) : l), line);
    if (/<[A-Za-z/!?]/.test(bare)) found.push(`tag: ${raw}`);
    if (/^ {0,3}#{1,6}(\s|$)/.test(line) && !OWN_HEADINGS.some((h) => h.test(line))) found.push(`heading: ${raw}`);
    // GitHub finds mentions, issue references and email links in the text as rendered: entities decoded.
    const rendered = decodeEntities(bare);
    if (/(^|[^\w])@[A-Za-z0-9]/.test(rendered)) found.push(`mention: ${raw}`);
    if (/[[\]]/.test(bare)) found.push(`link bracket: ${raw}`);
    if (/(https?|ftp):\/\/|www\./i.test(rendered)) found.push(`bare URL: ${raw}`);
    if (/#\d|GH-\d|\w@\w/i.test(rendered)) found.push(`issue reference or email: ${raw}`);
    // Our own emphasis is one `**…**` a line; any other `*`, `_`, `~`, `$` or `\` is someone else's.
    const stars = (bare.match(/\*/g) ?? []).length;
    if ((stars !== 0 && stars !== 4) || /[_~$\\]/.test(bare.replace(/^_(.*)_$/, '$1'))) found.push(`emphasis, math or escape: ${raw}`);
    if (/^ {0,3}([-+*]|\d{1,9}[.)])(\s|$)/.test(line)) {
      // Our own lists: the dry run's numbered steps (`1. ` then escaped text).
      if (!/^\d{1,2}\. /.test(line)) found.push(`list: ${raw}`);
    }
    // A table keeps its number of cells: untrusted text cannot add a `|`.
    if (line.startsWith('|')) {
      const cells = (line.match(/(?<!\\)\|/g) ?? []).length;
      tableCells ??= cells;
      if (cells !== tableCells) found.push(`table row with ${cells} pipes, not ${tableCells}: ${raw}`);
    } else tableCells = undefined;
  }
  return found;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Character references decoded, once, as a Markdown renderer does. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));/g, (m, dec?: string, hex?: string, name?: string) =>
    dec !== undefined ? String.fromCodePoint(Number(dec)) : hex !== undefined ? String.fromCodePoint(parseInt(hex, 16)) : (NAMED[name ?? ''] ?? m),
  );
}

export function expectInert(markdown: string): void {
  expect(liveParts(markdown)).toEqual([]);
  expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThan(1024 * 1024);
}
