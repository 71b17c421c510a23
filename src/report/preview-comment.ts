/**
 * The one pull-request comment of a preview (issue 18): found again by its hidden marker and
 * edited, never posted twice (src/github/comment.ts). Every text that comes from AWS or the
 * function (the URL, the error, the function's own log lines) is escaped as the job summary's is
 * (report/markdown.ts): it renders as the same characters and nothing else.
 */
import type { Diagnosis } from '../model/results.js';
import { DIAGNOSIS_LINE_CAP } from './diagnosis.js';
import { codeBlock, codeSpan, inline } from './markdown.js';

/** The hidden marker of the stage's comment: the stage name is checked (a stages-file key), and escaped anyway. */
export function previewMarker(stage: string): string {
  return `<!-- stage-deploy preview: ${stage.replace(/[^\w.-]/g, '_')} -->`;
}

export interface PreviewCommentView {
  stage: string;
  alias: string;
  /** deployed, unchanged, rolled-back, failed, removed. */
  status: string;
  url?: string;
  version?: string;
  codeSha256?: string;
  /** When, as an ISO time. */
  at: string;
  runUrl?: string;
  /** The failure, in the action's words (untrusted parts in it). */
  error?: string;
  /** What put the preview back, when a check failed. */
  restoredVersion?: string;
  diagnosis?: Diagnosis;
}

const BADGE: Record<string, string> = { deployed: '✅', unchanged: '✅', 'rolled-back': '↩️', failed: '❌', removed: '🗑️' };

export function renderPreviewComment(view: PreviewCommentView): string {
  const lines = [previewMarker(view.stage), `### ${BADGE[view.status] ?? ''} Preview ${inline(view.alias, 140)}: ${inline(view.status, 40)}`.replace('###  ', '### '), ''];
  if (view.status === 'removed') {
    lines.push(`The preview was removed (its alias, function URL and the versions only it used) at ${inline(view.at, 40)}.`);
  } else {
    lines.push('| | |', '|---|---|');
    if (view.url !== undefined) lines.push(`| URL | ${codeSpan(view.url, { cell: true })} |`);
    if (view.version !== undefined) lines.push(`| Version | ${inline(view.version, 40)} |`);
    if (view.codeSha256 !== undefined) lines.push(`| Code SHA-256 | ${codeSpan(view.codeSha256, { cell: true, max: 80 })} |`);
    lines.push(`| Status | ${inline(view.status, 40)} |`, `| When | ${inline(view.at, 40)} |`);
    if (view.restoredVersion !== undefined) lines.push(`| Preview runs | version ${inline(view.restoredVersion, 40)} (put back) |`);
    lines.push('');
    if (view.error !== undefined) lines.push(`**What failed:** ${inline(view.error, 600)}`, '');
    if (view.diagnosis !== undefined) {
      const d = view.diagnosis;
      lines.push(`**What version ${inline(d.version, 40)} said** (${codeSpan(d.logGroup)}):`, '');
      if (d.lines.length > 0) lines.push(codeBlock(d.lines, 'text', { maxLines: DIAGNOSIS_LINE_CAP }), '');
      else lines.push(`_${inline(d.logsNote ?? 'nothing')}_`, '');
    }
  }
  // The run's address is built from the runner's variables, not from anything a contributor wrote.
  if (view.runUrl !== undefined) lines.push('', `[The workflow run](${view.runUrl.replace(/[()\s<>]/g, encodeURIComponent)})`);
  return lines.join('\n');
}
