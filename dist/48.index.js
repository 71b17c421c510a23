export const id = 48;
export const ids = [48];
export const modules = {

/***/ 3048:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: runMain, runPost

// EXTERNAL MODULE: ./src/config.ts
var config = __webpack_require__(2973);
// EXTERNAL MODULE: ./src/model/errors.ts
var errors = __webpack_require__(7206);
// EXTERNAL MODULE: ./src/model/results.ts
var results = __webpack_require__(3111);
// EXTERNAL MODULE: ./src/report/diagnosis.ts
var report_diagnosis = __webpack_require__(2471);
// EXTERNAL MODULE: ./src/report/markdown.ts
var markdown = __webpack_require__(4285);
// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
;// CONCATENATED MODULE: ./src/report/status-table.ts


/** Stages shown at most. */
const STATUS_ROW_CAP = 50;
/** For the summary: every value escaped. */
const MARKDOWN = { text: (t) => (0,markdown/* inline */.mG)(t), code: (t) => (0,markdown/* codeSpan */.SS)(t, { cell: true }) };
/** For the log, which shows text as it is: one line, capped, `|` kept from splitting the row. */
const PLAIN = {
    text: (t) => (0,markdown/* capChars */.ye)((0,markdown/* oneLine */.TN)(t)).replace(/\|/g, '\\|'),
    code: (t) => {
        const line = (0,markdown/* capChars */.ye)((0,markdown/* oneLine */.TN)(t)).replace(/\|/g, '\\|');
        return line ? `\`${line}\`` : '';
    },
};
/** The `status` command's job summary; the live previews (issue 18) in a table of their own. */
function renderStatusSummary(stages, previews = []) {
    const table = stages.length > 0 ? `${renderStatusTable(stages)}\n` : '';
    const own = previews.length > 0 ? `\n### Previews\n\n${renderPreviewTable(previews)}\n` : '';
    return (0,markdown/* fitSummary */.mW)(`## stage-deploy status\n\n${table}${own}`);
}
/** The live previews: alias, pull request, version, age; `forLog` as renderStatusTable's. */
function renderPreviewTable(previews, options = {}) {
    const { text, code } = options.forLog ? PLAIN : MARKDOWN;
    const lines = ['| Stage | Function | Preview → version | Pull request | Released | Age |', '|---|---|---|---|---|---|'];
    for (const p of previews.slice(0, STATUS_ROW_CAP)) {
        const age = p.ageDays === undefined ? '—' : `${p.ageDays} day${p.ageDays === 1 ? '' : 's'}`;
        lines.push(`| ${text(p.stage)} | ${code(p.functionName)} | ${text(`${p.alias} → ${p.version}`)} | ${text(`PR ${p.pullRequest}`)} | ${p.releasedAt ? formatTime(p.releasedAt) : '—'} | ${age} |`);
    }
    if (previews.length > STATUS_ROW_CAP)
        lines.push('', `_… and ${previews.length - STATUS_ROW_CAP} more previews_`);
    return lines.join('\n');
}
/**
 * The status of several stages, as a Markdown table; `forLog`: the same table for the log, with
 * values as they are (one line each, capped) instead of escaped for Markdown.
 */
function renderStatusTable(stages, options = {}) {
    const { text, code } = options.forLog ? PLAIN : MARKDOWN;
    const lines = [
        '| Stage | Function | Alias → version | Code SHA-256 | Commit | Released | Traffic split | Earlier | Last hour |',
        '|---|---|---|---|---|---|---|---|---|',
    ];
    for (const s of stages.slice(0, STATUS_ROW_CAP)) {
        const cells = [
            text(s.stage),
            `${code(s.functionName)}${s.region ? ` (${text(s.region)})` : ''}`,
            text(s.version !== undefined ? `${s.alias} → ${s.version}` : `${s.alias}: ${s.problem ?? '—'}`),
            s.codeSha256 ? code(`${s.codeSha256.slice(0, 12)}…`) : '—',
            s.release?.commit ? code(s.release.commit) : '—',
            s.release?.releasedAt ? formatTime(s.release.releasedAt) : '—',
            Object.keys(s.weights).length > 0
                ? text(Object.entries(s.weights)
                    .map(([v, w]) => `${v}: ${(0,format/* formatPercent */.l9)(w)}`)
                    .join(', '))
                : 'none',
            s.earlier.length > 0 ? text(s.earlier.map((r) => r.version).join(', ')) : '—',
            s.lastHour
                ? `${s.lastHour.invocations} invocations, ${s.lastHour.errors} errors${s.lastHour.errors > 0 ? ' ⚠️' : ''}, p95 ${(0,format/* formatOptionalMs */.Iw)(s.lastHour.durationP95Ms)}`
                : text(s.lastHourNote ?? '—'),
        ];
        lines.push(`| ${cells.join(' | ')} |`);
        // A misconfiguration (a function URL bypassing the alias): a warning row under the stage's.
        for (const warning of s.warnings ?? [])
            lines.push(`| ${text(s.stage)} | ${code(s.functionName)} | ⚠️ ${text(warning)} | | | | | | |`);
    }
    if (stages.length > STATUS_ROW_CAP)
        lines.push('', `_… and ${stages.length - STATUS_ROW_CAP} more stages_`);
    return lines.join('\n');
}
/** `2026-11-22 10:00 UTC` */
function formatTime(epochSeconds) {
    return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

;// CONCATENATED MODULE: ./src/report/plan.ts

function planSteps(plan) {
    const lines = [];
    const target = plan.target;
    let to;
    if (target.kind === 'existing') {
        if (target.reason === 'carries the settings')
            lines.push(`reuse version ${target.version}: it carries ${plan.stage}'s settings already`);
        to = `version ${target.version}`;
    }
    else {
        if (target.settingsChanged.length > 0)
            lines.push(`update the settings of $LATEST: ${target.settingsChanged.join(', ')}`);
        lines.push(codeLine(target.code, plan.functionName));
        lines.push(`publish a version of ${plan.functionName} with CodeSha256 ${target.codeSha256}`);
        to = 'the new version';
    }
    if (plan.from === undefined)
        lines.push(`create alias ${plan.alias} on ${to}`);
    else if (target.kind === 'existing' && target.version === plan.from)
        lines.push(`clear the traffic split of alias ${plan.alias}: it stays on version ${plan.from}`);
    else
        lines.push(`shift alias ${plan.alias} from version ${plan.from} to ${to}`);
    lines.push(plan.smoke !== undefined ? `smoke-test ${plan.smoke.method} ${plan.smoke.url}; on failure, put the alias back` : 'no smoke test (smoke.url is not set)');
    return lines;
}
function codeLine(code, functionName) {
    switch (code.kind) {
        case 'in-latest':
            return 'code: $LATEST holds it already, nothing to upload';
        case 'direct':
            return `upload ${(0,format/* formatSize */.Xq)(code.sizeBytes)} directly to ${functionName}`;
        case 's3':
            return code.alreadyThere
                ? `take s3://${code.bucket}/${code.key} (already there), then update the code`
                : `upload ${(0,format/* formatSize */.Xq)(code.sizeBytes)} to s3://${code.bucket}/${code.key}, then update the code`;
        case 'image':
            return `update the code of ${functionName} to image ${code.imageUri}${code.tag !== undefined ? ` (tag ${code.tag})` : ''}`;
        case 'download':
            return (`download the code of ${code.fromStage}'s version ${code.version} from Lambda (${(0,format/* formatSize */.Xq)(code.sizeBytes)})` +
                (code.via.kind === 's3' ? `, put it in s3://${code.via.bucket}/${code.via.key}` : '') +
                ', then update the code');
    }
}

;// CONCATENATED MODULE: ./src/report/summary.ts
/**
 * The job summary, rendered from a command's result. Pure: src/action writes it.
 */





/** What one summary shows at most; the rest is counted (`… and 3 more attempts`). */
const SUMMARY_CAPS = {
    /** Smoke attempts: the first and the last half of this many. */
    attempts: 20,
    planLines: 20,
    steps: 50,
    settingsChanged: 20,
    deletedVersions: 20,
    alarms: 20,
    trafficPoints: 100,
    /** Characters of the error line and the repair error. */
    errorChars: 1000,
    /** Characters of a smoke body shown in its cell. */
    bodyChars: 120,
};
const STATUS_BADGE = {
    deployed: '✅ deployed',
    unchanged: '⏸️ unchanged',
    promoted: '✅ promoted',
    'rolled-back': '↩️ rolled back',
    failed: '❌ failed',
};
function viewOf(result) {
    const { kind: _kind, ...fields } = result;
    const checks = 'checks' in result ? result.checks : undefined;
    const view = {
        ...('settingsChanged' in result ? {} : { settingsChanged: [] }),
        ...fields,
        status: (0,results/* statusOf */.c)(result),
        ...(checks !== undefined && checks),
        ...(result.kind === 'dry-run' && { plan: planSteps(result.plan) }),
        ...(result.kind === 'dry-run' && result.plan.target.kind === 'existing' && { candidateVersion: result.plan.target.version }),
        ...(result.kind === 'stranded' && { version: result.candidateVersion }),
        // A release checked the version it shipped.
        ...(result.kind === 'released' && { candidateVersion: result.version }),
    };
    return view;
}
/** An image as the summary shows it: the URI pinned by digest, and the tag it came from (`tag v2`). */
function imageCell(image) {
    const cell = { cell: true };
    return `${(0,markdown/* codeSpan */.SS)(image.uri, cell)}${image.tag !== undefined ? ` (tag ${(0,markdown/* codeSpan */.SS)(image.tag, cell)})` : ''}`;
}
function renderSummary(outcome, context = {}) {
    const result = viewOf(outcome);
    const lines = [];
    const badge = result.plan !== undefined ? '🧪 dry run, nothing changed' : STATUS_BADGE[result.status];
    lines.push(`## stage-deploy ${result.command} · ${(0,markdown/* inline */.mG)(result.stage, 100)}: ${badge}`, '');
    if (result.plan !== undefined) {
        const steps = result.plan.slice(0, SUMMARY_CAPS.planLines);
        lines.push('What it would do:', '', ...steps.map((step, i) => `${i + 1}. ${(0,markdown/* inline */.mG)(step)}`), ...(0,markdown/* moreNote */.ys)(result.plan.length - steps.length, 'steps'), '');
    }
    if (result.error)
        lines.push(`> **${(0,markdown/* inline */.mG)(result.error, SUMMARY_CAPS.errorChars)}**`, '');
    if (result.repair) {
        lines.push('> [!CAUTION]', `> The alias could not be put back (${(0,markdown/* inline */.mG)(result.repair.error, SUMMARY_CAPS.errorChars)}). Repair it by hand:`, '');
        lines.push((0,markdown/* codeBlock */.DV)([result.repair.command], 'sh', { maxLines: 20, maxLineChars: 2000 }), '');
    }
    if (result.forced)
        lines.push('> [!WARNING]', '> `force: true`: the alarm gates were **skipped** for this release.', '');
    if (result.codeStorageWarning)
        lines.push('> [!WARNING]', `> ${(0,markdown/* inline */.mG)(result.codeStorageWarning, SUMMARY_CAPS.errorChars)}`, '');
    if (result.steps.length > 0)
        lines.push(renderTimeline(result), '');
    if (result.traffic !== undefined && result.traffic.length > 1)
        lines.push(renderTraffic(result), '');
    const cell = { cell: true };
    const rows = [
        ['Stage', (0,markdown/* inline */.mG)(result.stage)],
        ['Function', `${(0,markdown/* codeSpan */.SS)(result.functionName, cell)}${context.region ? ` (${(0,markdown/* inline */.mG)(context.region)})` : ''}`],
        ['Alias', (0,markdown/* codeSpan */.SS)(result.alias, cell)],
        ['Version', (0,markdown/* inline */.mG)(versionMove(result))],
    ];
    if (result.codeSha256)
        rows.push(['Code SHA-256', (0,markdown/* codeSpan */.SS)(result.codeSha256, cell)]);
    if (result.image)
        rows.push(['Image', imageCell(result.image)]);
    if (result.commit)
        rows.push(['Commit', (0,markdown/* codeSpan */.SS)(result.commit.slice(0, 12), cell)]);
    if (result.upload && result.upload.kind !== 'none')
        rows.push(['Upload', describeUpload(result.upload)]);
    if (result.settingsChanged.length > 0) {
        const shown = result.settingsChanged.slice(0, SUMMARY_CAPS.settingsChanged);
        const more = result.settingsChanged.length - shown.length;
        rows.push(['Settings changed', shown.map((s) => (0,markdown/* codeSpan */.SS)(s, cell)).join(', ') + (more > 0 ? ` and ${more} more` : '')]);
    }
    if (result.housekeeping?.deleted.length) {
        const deleted = result.housekeeping.deleted;
        const more = deleted.length - SUMMARY_CAPS.deletedVersions;
        rows.push(['Versions deleted (keep-versions)', (0,markdown/* inline */.mG)(deleted.slice(0, SUMMARY_CAPS.deletedVersions).join(', ')) + (more > 0 ? ` and ${more} more` : '')]);
    }
    if (result.housekeeping?.retention) {
        const r = result.housekeeping.retention;
        rows.push(['Log retention', `${(0,markdown/* codeSpan */.SS)(r.logGroup, cell)}: ${r.days} days (${r.outcome})`]);
    }
    if (result.invoke)
        rows.push(['Invoke check', `${result.invoke.ok ? '✅' : '❌'} ${(0,markdown/* inline */.mG)(result.invoke.summary)}`]);
    const gate = result.gates?.at(-1);
    if (gate) {
        const parts = gate.alarms.slice(0, SUMMARY_CAPS.alarms).map((a) => `${a.name}: ${a.state}`);
        if (gate.alarms.length > SUMMARY_CAPS.alarms)
            parts.push(`and ${gate.alarms.length - SUMMARY_CAPS.alarms} more alarms`);
        if (gate.invocations !== undefined)
            parts.push(`version ${result.candidateVersion ?? ''}: ${gate.errors ?? 0} errors / ${gate.invocations} invocations`);
        rows.push(['Gates (last reading)', (0,markdown/* inline */.mG)(parts.join('; ') || '—', 2 * SUMMARY_CAPS.errorChars)]);
    }
    rows.push(['Smoke test', result.smoke ? `${result.smoke.ok ? '✅' : '❌'} ${(0,markdown/* inline */.mG)(result.smoke.summary)}` : '—']);
    rows.push(['Duration', (0,format/* formatMs */._V)(result.durationMs)]);
    lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');
    if (result.diagnosis)
        lines.push((0,report_diagnosis/* renderDiagnosis */.sW)(result.diagnosis));
    if (result.smoke && result.smoke.attempts.length > 0)
        lines.push(renderSmokeAttempts(result.smoke), '');
    if (result.steps.length > 0) {
        lines.push('<details><summary>Steps</summary>', '');
        lines.push('| Step | Started | Took | |', '|---|---|---|---|');
        const steps = result.steps.slice(0, SUMMARY_CAPS.steps);
        for (const step of steps) {
            lines.push(`| ${(0,markdown/* inline */.mG)(step.name)} | +${(0,format/* formatMs */._V)(step.startMs)} | ${(0,format/* formatMs */._V)(step.durationMs)} | ${step.ok ? '✅' : '❌'} |`);
        }
        lines.push('', ...(0,markdown/* moreNote */.ys)(result.steps.length - steps.length, 'steps'), '</details>', '');
    }
    if (context.runUrl)
        lines.push(/^https?:\/\/[^\s()<>]+$/.test(context.runUrl) ? `[Workflow run](${context.runUrl})` : `Workflow run: ${(0,markdown/* inline */.mG)(context.runUrl)}`, '');
    return (0,markdown/* fitSummary */.mW)(lines.join('\n'));
}
/** The smoke attempts, folded (open when the check failed: the answers the endpoint gave are the first thing to read). */
function renderSmokeAttempts(smoke) {
    const lines = [`<details${smoke.ok ? '' : ' open'}><summary>Smoke attempts</summary>`, ''];
    lines.push('| # | Request | Status | Latency | Body (start) |', '|---|---|---|---|---|');
    const attempts = smoke.attempts;
    const { head, skipped, tail } = headAndTail(attempts, SUMMARY_CAPS.attempts);
    const row = (a) => {
        const status = a.status === undefined ? `no answer${a.problem ? ` (${a.problem})` : ''}` : `${a.ok ? '✅' : '❌'} ${a.status}`;
        return `| ${a.attempt} | ${(0,markdown/* inline */.mG)(`${a.method} ${a.url}`)} | ${(0,markdown/* inline */.mG)(status)} | ${(0,format/* formatMs */._V)(a.latencyMs)} | ${(0,markdown/* codeSpan */.SS)(a.bodyExcerpt, { cell: true, max: SUMMARY_CAPS.bodyChars })} |`;
    };
    lines.push(...head.map(row));
    if (skipped > 0)
        lines.push(`| … | ${skipped} more attempts | | | |`);
    lines.push(...tail.map(row));
    lines.push('', '</details>');
    return lines.join('\n');
}
/** The first and the last of `items`, `max` in all, and how many were left out between. */
function headAndTail(items, max) {
    if (items.length <= max)
        return { head: [...items], skipped: 0, tail: [] };
    const headCount = Math.ceil(max / 2);
    const tailCount = max - headCount;
    return { head: items.slice(0, headCount), skipped: items.length - max, tail: items.slice(items.length - tailCount) };
}
/**
 * The run's steps and how long each took, as a Mermaid gantt chart GitHub renders: failed
 * steps (a smoke test that failed) and the rollback stand out in red.
 */
function renderTimeline(result) {
    const lines = ['```mermaid', 'gantt', `  title ${result.command} ${(0,markdown/* mermaidText */.Hg)(result.stage)}: ${result.status}`, '  dateFormat x', '  axisFormat %M:%S'];
    lines.push(`  section ${(0,markdown/* mermaidText */.Hg)(result.alias)}`);
    for (const step of result.steps.slice(0, SUMMARY_CAPS.steps)) {
        const tag = !step.ok || step.name === 'rollback' ? 'crit, ' : 'done, ';
        const start = Math.round(step.startMs);
        const end = start + Math.max(1, Math.round(step.durationMs));
        lines.push(`  ${(0,markdown/* mermaidText */.Hg)(step.name)} (${(0,format/* formatMs */._V)(step.durationMs)}) :${tag}${start}, ${end}`);
    }
    lines.push('```');
    return lines.join('\n');
}
/**
 * The weight on the new version over time, as a Mermaid line chart: each step, and the drop to
 * 0 at a rollback.
 */
function renderTraffic(result) {
    return renderTrafficChart(result.traffic ?? [], `Traffic on version ${(0,markdown/* mermaidText */.Hg)(result.candidateVersion ?? '')} (%)`);
}
/** Percent on the new version(s) over time, as a Mermaid line chart; `title` is Mermaid-safe text. */
function renderTrafficChart(all, title) {
    // A long rollout: its first points and its end (where it was rolled back, or finished).
    const points = all.length > SUMMARY_CAPS.trafficPoints ? [...all.slice(0, SUMMARY_CAPS.trafficPoints - 1), ...all.slice(-1)] : all;
    const labels = [];
    const values = [];
    points.forEach((point, i) => {
        const previous = points[i - 1];
        if (previous !== undefined) {
            // Hold the previous weight until this change: a step, not a slope.
            labels.push(`"${(point.atMs / 1000).toFixed(1)}s"`);
            values.push(chartNumber(previous.percent));
        }
        labels.push(`"${(point.atMs / 1000).toFixed(1)}s"`);
        values.push(chartNumber(point.percent));
    });
    const rolledBack = points.at(-1)?.percent === 0;
    return [
        '```mermaid',
        'xychart-beta',
        `  title "${title}${rolledBack ? ', rolled back' : ''}"`,
        `  x-axis [${labels.join(', ')}]`,
        '  y-axis "percent" 0 --> 100',
        `  line [${values.join(', ')}]`,
        '```',
    ].join('\n');
}
/** `7 → 8`, `— → 1` on a first deploy, `8 → 9 → 8 (rolled back)` after a rollback. */
function versionMove(result) {
    const from = result.previousVersion ?? '—';
    if (result.status === 'rolled-back' && result.command !== 'rollback' && result.candidateVersion) {
        return `${from} → ${result.candidateVersion} → ${result.version ?? '— (alias removed)'} (rolled back)`;
    }
    if (result.status === 'unchanged')
        return `${result.version ?? '—'} (unchanged)`;
    return `${from} → ${result.version ?? result.candidateVersion ?? '—'}`;
}
function describeUpload(upload) {
    const size = (0,format/* formatSize */.Xq)(upload.sizeBytes);
    if (upload.kind === 's3')
        return `${(0,markdown/* inline */.mG)(`s3://${upload.bucket}/${upload.key}`)} (${size}${upload.alreadyThere ? ', already there' : ''})`;
    return `direct (${size})`;
}
/** A number for a Mermaid chart: finite, or 0. */
function chartNumber(value) {
    return Number.isFinite(value) ? value : 0;
}

;// CONCATENATED MODULE: ./src/report/release.ts
/**
 * A release of several units (one function in one region each) as data for the action's edges:
 * the `release` output (JSON, one object per unit), the stage's status over every unit, and the
 * log's closing line and failure annotation. Pure: src/action sets and prints them.
 *
 * A one-unit release is reported as before (summary.ts, the first unit's outputs); the `release`
 * output is then an array of one.
 */


/** Items of a log line that lists the units, at most (then `and 12 more`). */
const CLOSING_LINE_UNITS = 20;
/**
 * The region a unit was released in: its own (`region`, `regions`), else the region of its alias
 * ARN (what Lambda answered from), else the default the SDK used (AWS_REGION, passed in by
 * src/action), else empty.
 */
function unitRegion(unit, defaultRegion) {
    if (unit.settings.region)
        return unit.settings.region;
    const arn = 'aliasArn' in unit.result ? unit.result.aliasArn : undefined;
    const fromArn = arn?.split(':')[3];
    return fromArn || defaultRegion || '';
}
/** The `release` output: every unit, in the stage's order. Versions as the outputs have them: where each alias ends. */
function releaseEntries(units, defaultRegion) {
    return units.map((unit) => {
        const view = viewOf(unit.result);
        return {
            function: unit.settings.functionName,
            region: unitRegion(unit, defaultRegion),
            version: view.version ?? '',
            'previous-version': view.previousVersion ?? '',
            'code-sha256': view.codeSha256 ?? '',
        };
    });
}
/** The `release` output's value: one line of JSON. */
function releaseOutput(units, defaultRegion) {
    return JSON.stringify(releaseEntries(units, defaultRegion));
}
/** Whether every unit did what it was asked (all-or-nothing: one failure fails the release). */
function releaseSucceeded(units) {
    return units.every((unit) => (0,results/* isSuccess */.o)(unit.result));
}
/**
 * The `status` of a release of several units. A failure: `failed` when an alias may be left on
 * the new version (stranded) or none was shifted, else `rolled-back` (shifted, then all put back).
 * A success: `unchanged` only when every unit is; otherwise what the command did.
 */
function releaseStatus(units) {
    const statuses = units.map((unit) => (0,results/* statusOf */.c)(unit.result));
    if (!releaseSucceeded(units)) {
        if (units.some((unit) => unit.result.kind === 'stranded'))
            return 'failed';
        return statuses.includes('rolled-back') ? 'rolled-back' : 'failed';
    }
    return statuses.find((status) => status !== 'unchanged') ?? 'unchanged';
}
/**
 * The unit whose failure failed the release: the first whose own check failed (smoke, invoke,
 * a gate's verdict in its error), else the first stranded, else the first that failed at all. A
 * smoke test cut short by the release's cancel (another unit failed first) is not its own failure.
 */
function failedUnit(units) {
    const failed = units.filter((unit) => !(0,results/* isSuccess */.o)(unit.result));
    const ownCheck = failed.find((unit) => {
        const checks = 'checks' in unit.result ? unit.result.checks : undefined;
        return ((checks?.smoke?.ok === false && checks.smoke.cancelled !== true) ||
            checks?.invoke?.ok === false ||
            ('diagnosis' in unit.result && unit.result.diagnosis !== undefined));
    });
    return ownCheck ?? failed.find((unit) => unit.result.kind === 'stranded') ?? failed[0];
}
/** `notes-api`, or `notes-api (eu-west-1)` when the release spans regions. */
function unitName(unit, withRegion, defaultRegion) {
    const region = unitRegion(unit, defaultRegion);
    return withRegion && region ? `${unit.settings.functionName} (${region})` : unit.settings.functionName;
}
/** Whether the units are in more than one region. */
function spansRegions(units, defaultRegion) {
    return new Set(units.map((unit) => unitRegion(unit, defaultRegion))).size > 1;
}
/** `3 functions in 2 regions`, `2 functions`. */
function unitCount(units, defaultRegion) {
    const functions = new Set(units.map((unit) => unit.settings.functionName)).size;
    const regions = new Set(units.map((unit) => unitRegion(unit, defaultRegion))).size;
    const fn = `${functions} function${functions === 1 ? '' : 's'}`;
    return regions > 1 ? `${fn} in ${regions} regions` : fn;
}
/** One unit's move in a log line: `7 → 8`, `unchanged on 5`, `8 → 9 → 8` (shifted and put back), `stays on 7`. */
function unitMove(result) {
    const view = viewOf(result);
    const from = view.previousVersion ?? '(new)';
    switch (result.kind) {
        case 'unchanged':
        case 'dry-run':
            return `unchanged on ${view.version ?? '—'}`;
        case 'released':
            return `${from} → ${result.version}`;
        case 'not-shifted':
            return `stays on ${view.version ?? from}`;
        case 'reverted':
            return `${from} → ${result.candidateVersion} → ${result.version ?? '(alias removed)'}`;
        case 'stranded':
            return `${from} → ${result.candidateVersion}, MAY STILL BE ON ${result.candidateVersion}`;
    }
}
/** `notes-api 7 → 8, notes-worker unchanged on 3, … and 12 more`. */
function unitList(units, defaultRegion) {
    const withRegion = spansRegions(units, defaultRegion);
    const shown = units.slice(0, CLOSING_LINE_UNITS).map((unit) => `${unitName(unit, withRegion, defaultRegion)} ${unitMove(unit.result)}`);
    const more = units.length - shown.length;
    return shown.join(', ') + (more > 0 ? `, and ${more} more` : '');
}
const VERB = {
    deployed: 'deployed',
    unchanged: 'unchanged',
    promoted: 'promoted',
    'rolled-back': 'rolled back',
    failed: 'failed',
};
/**
 * The log's closing line of a successful release of several units:
 * `dev: deployed 3 functions in 2 regions: notes-api (us-east-1) 7 → 8, …`.
 */
function releaseClosingLine(stage, units, defaultRegion) {
    const status = releaseStatus(units);
    if (status === 'unchanged')
        return `${stage}: unchanged, ${unitCount(units, defaultRegion)}, every alias stays: ${unitList(units, defaultRegion)}.`;
    return `${stage}: ${VERB[status]} ${unitCount(units, defaultRegion)}: ${unitList(units, defaultRegion)}.`;
}
/**
 * A failed release of several units, for the step's one error annotation: the message names the
 * unit that failed and why, then where every alias ended; the title says it in a few words.
 */
function releaseFailure(stage, units, defaultRegion) {
    const status = releaseStatus(units);
    const cause = failedUnit(units);
    const withRegion = spansRegions(units, defaultRegion);
    const name = cause === undefined ? '' : unitName(cause, withRegion, defaultRegion);
    const view = cause === undefined ? undefined : viewOf(cause.result);
    const why = view?.error ?? `${stage}: ${status}`;
    const stranded = units.filter((unit) => unit.result.kind === 'stranded');
    const command = units[0]?.result.command ?? 'deploy';
    const count = unitCount(units, defaultRegion);
    let outcome;
    let title;
    if (stranded.length > 0) {
        outcome = `ROLLBACK FAILED for ${stranded.map((u) => unitName(u, withRegion, defaultRegion)).join(', ')}; the summary says how to repair it`;
        title = `stage-deploy: ${stage} ROLLBACK FAILED for ${stranded.length} of ${units.length} aliases`;
    }
    else if (status === 'rolled-back') {
        outcome = `every alias went back`;
        title = `stage-deploy: ${stage} rolled back, all ${count} (${name} failed)`;
    }
    else {
        outcome = `no alias stays shifted`;
        title = `stage-deploy: ${command} of ${stage} failed (${name}), no alias stays shifted`;
    }
    return { message: `${name}: ${why}; ${outcome}: ${unitList(units, defaultRegion)}.`, title };
}
/**
 * The `release` output of `status`: every function and region of the stage acted on, as its
 * aliases stand (`previous-version`: the release a rollback would go to).
 */
function statusReleaseOutput(rows, stage, defaultRegion) {
    const entries = rows
        .filter((row) => row.stage === stage)
        .map((row) => ({
        function: row.functionName,
        region: row.region || row.aliasArn?.split(':')[3] || defaultRegion || '',
        version: row.version ?? '',
        'previous-version': row.earlier[0]?.version ?? '',
        'code-sha256': row.codeSha256 ?? '',
    }));
    return JSON.stringify(entries);
}

;// CONCATENATED MODULE: ./src/report/release-summary.ts
/**
 * The job summary of a release of several units (functions × regions): one table with a row per
 * unit, one picture (the steps of every unit on one timeline; the traffic weight once, since a
 * progressive shift moves every alias together), then what went wrong with each unit that failed.
 * A one-unit release keeps summary.ts's own summary. Pure: src/action writes it; every value the
 * action did not write itself goes through markdown.ts.
 */






/** What one summary of several units shows at most. */
const RELEASE_SUMMARY_CAPS = {
    /** Rows of the release table. */
    units: 200,
    /** Sections (units) of the timeline: beyond, the chart would be taller than useful. */
    timelineUnits: 12,
    /** Steps of one unit on the timeline. */
    stepsPerUnit: 12,
    /** Failed units explained below the table (diagnosis, smoke attempts). */
    explained: 5,
    /** Characters of a smoke summary in a table cell. */
    checkChars: 160,
};
function renderReleaseSummary(units, context = {}) {
    const first = units[0];
    if (first === undefined)
        return '';
    const head = viewOf(first.result);
    const status = releaseStatus(units);
    const dryRun = units.some((unit) => unit.result.kind === 'dry-run');
    const badge = dryRun ? '🧪 dry run, nothing changed' : STATUS_BADGE[status];
    const count = unitCount(units, context.defaultRegion);
    const lines = [`## stage-deploy ${head.command} · ${(0,markdown/* inline */.mG)(head.stage, 100)}: ${badge}`, ''];
    lines.push(`${count}, released as one: every version published and checked before any alias moves; if any check fails, every alias goes back.`, '');
    const views = units.map((unit) => viewOf(unit.result));
    if (!units.every((unit) => (0,results/* isSuccess */.o)(unit.result))) {
        const cause = failedUnit(units);
        if (cause !== undefined) {
            const view = viewOf(cause.result);
            lines.push(`> **${(0,markdown/* inline */.mG)(`${cause.settings.functionName}${regionSuffix(cause, units, context.defaultRegion)}: ${view.error ?? view.status}`, SUMMARY_CAPS.errorChars)}**`, '');
        }
    }
    units.forEach((unit, i) => {
        const view = views[i];
        if (view?.repair === undefined)
            return;
        lines.push('> [!CAUTION]', `> The alias of ${(0,markdown/* codeSpan */.SS)(unit.settings.functionName)}${regionSuffix(unit, units, context.defaultRegion)} could not be put back (${(0,markdown/* inline */.mG)(view.repair.error, SUMMARY_CAPS.errorChars)}). Repair it by hand:`, '');
        lines.push((0,markdown/* codeBlock */.DV)([view.repair.command], 'sh', { maxLines: 20, maxLineChars: 2000 }), '');
    });
    if (views.some((view) => view.forced))
        lines.push('> [!WARNING]', '> `force: true`: the alarm gates were **skipped** for this release.', '');
    for (const warning of new Set(views.map((view) => view.codeStorageWarning).filter((w) => Boolean(w)))) {
        lines.push('> [!WARNING]', `> ${(0,markdown/* inline */.mG)(warning, SUMMARY_CAPS.errorChars)}`, '');
    }
    if (views.some((view) => view.steps.length > 0))
        lines.push(renderTimelines(units, views, status, context.defaultRegion), '');
    // A progressive shift moves every alias by the same steps: one line says it for all.
    const traffic = views.find((view) => view.traffic !== undefined && view.traffic.length > 1)?.traffic;
    if (traffic !== undefined)
        lines.push(renderTrafficChart(traffic, 'Traffic on the new versions (%)'), '');
    lines.push(...releaseTable(units, views, context.defaultRegion), '');
    const cell = { cell: true };
    const rows = [['Stage', (0,markdown/* inline */.mG)(head.stage)]];
    const aliases = new Set(views.map((view) => view.alias));
    if (aliases.size === 1)
        rows.push(['Alias', (0,markdown/* codeSpan */.SS)(head.alias, cell)]);
    // One commit builds the whole release.
    const commit = views.find((view) => view.commit)?.commit;
    if (commit)
        rows.push(['Commit', (0,markdown/* codeSpan */.SS)(commit.slice(0, 12), cell)]);
    rows.push(['Duration', (0,format/* formatMs */._V)(Math.max(...views.map((view) => view.durationMs)))]);
    lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');
    // What went wrong, unit by unit: the one that failed first, then the others with something to
    // show (a smoke test cut short by the release's cancel shows nothing of its own).
    const cause = failedUnit(units);
    const explained = units
        .map((unit, i) => ({ unit, view: views[i] }))
        .filter((x) => x.view !== undefined &&
        (x.view.diagnosis !== undefined || (x.view.smoke?.ok === false && x.view.smoke.cancelled !== true) || x.view.invoke?.ok === false))
        .sort((a, b) => Number(b.unit === cause) - Number(a.unit === cause));
    for (const { unit, view } of explained.slice(0, RELEASE_SUMMARY_CAPS.explained)) {
        lines.push(`**${(0,markdown/* inline */.mG)(`${unit.settings.functionName}${regionSuffix(unit, units, context.defaultRegion)}`)}**: ${(0,markdown/* inline */.mG)(view.error ?? view.status, SUMMARY_CAPS.errorChars)}`, '');
        if (view.diagnosis)
            lines.push((0,report_diagnosis/* renderDiagnosis */.sW)(view.diagnosis));
        if (view.smoke && view.smoke.attempts.length > 0)
            lines.push(renderSmokeAttempts(view.smoke), '');
    }
    lines.push(...(0,markdown/* moreNote */.ys)(explained.length - RELEASE_SUMMARY_CAPS.explained, 'failed functions (the log has them)'));
    if (context.runUrl)
        lines.push(/^https?:\/\/[^\s()<>]+$/.test(context.runUrl) ? `[Workflow run](${context.runUrl})` : `Workflow run: ${(0,markdown/* inline */.mG)(context.runUrl)}`, '');
    return (0,markdown/* fitSummary */.mW)(lines.join('\n'));
}
/** ` (eu-west-1)` when the release spans regions, else nothing. */
function regionSuffix(unit, units, defaultRegion) {
    const region = unitRegion(unit, defaultRegion);
    return spansRegions(units, defaultRegion) && region ? ` (${region})` : '';
}
/** The release as one table: a row per function and region. */
function releaseTable(units, views, defaultRegion) {
    const cell = { cell: true };
    const aliases = new Set(views.map((view) => view?.alias));
    const lines = ['| Function | Region | What happened | Version | Code | Checks |', '|---|---|---|---|---|---|'];
    units.slice(0, RELEASE_SUMMARY_CAPS.units).forEach((unit, i) => {
        const view = views[i];
        if (view === undefined)
            return;
        const name = (0,markdown/* codeSpan */.SS)(unit.settings.functionName, cell) + (aliases.size > 1 ? ` → ${(0,markdown/* codeSpan */.SS)(view.alias, cell)}` : '');
        const code = [
            ...(view.codeSha256 ? [(0,markdown/* codeSpan */.SS)(`${view.codeSha256.slice(0, 12)}…`, cell)] : []),
            ...(view.image ? [imageCell(view.image)] : unit.settings.image ? [(0,markdown/* codeSpan */.SS)(unit.settings.image, cell)] : []),
        ];
        lines.push(`| ${name} | ${(0,markdown/* inline */.mG)(unitRegion(unit, defaultRegion) || '—')} | ${STATUS_BADGE[view.status]} | ${(0,markdown/* inline */.mG)(versionMove(view))} | ${code.join(' · ') || '—'} | ${checksCell(view)} |`);
    });
    lines.push(...(0,markdown/* moreNote */.ys)(units.length - RELEASE_SUMMARY_CAPS.units, 'functions'));
    return lines;
}
/** A unit's checks in one cell: invoke, smoke, the gates' last reading. */
function checksCell(view) {
    const parts = [];
    if (view.invoke)
        parts.push(`${view.invoke.ok ? '✅' : '❌'} invoke`);
    if (view.smoke)
        parts.push(`${view.smoke.ok ? '✅' : '❌'} ${(0,markdown/* inline */.mG)(view.smoke.summary, RELEASE_SUMMARY_CAPS.checkChars)}`);
    const gate = view.gates?.at(-1);
    if (gate) {
        const alarming = gate.alarms.filter((a) => a.state === 'ALARM').length;
        const gateParts = [`${gate.alarms.length} alarms${alarming > 0 ? `, ${alarming} in ALARM` : ''}`];
        if (gate.invocations !== undefined)
            gateParts.push(`${gate.errors ?? 0} errors / ${gate.invocations} invocations`);
        parts.push(`gates: ${gateParts.join(', ')}`);
    }
    return parts.join('; ') || '—';
}
/**
 * Every unit's steps on one Mermaid gantt chart, a section per unit: the steps run side by side,
 * and a failed check and the rollbacks stand out in red.
 */
function renderTimelines(units, views, status, defaultRegion) {
    const head = views[0];
    const lines = ['```mermaid', 'gantt', `  title ${head?.command ?? ''} ${(0,markdown/* mermaidText */.Hg)(head?.stage ?? '')}: ${status}`, '  dateFormat x', '  axisFormat %M:%S'];
    const withRegion = spansRegions(units, defaultRegion);
    units.slice(0, RELEASE_SUMMARY_CAPS.timelineUnits).forEach((unit, i) => {
        const view = views[i];
        if (view === undefined || view.steps.length === 0)
            return;
        const region = unitRegion(unit, defaultRegion);
        lines.push(`  section ${(0,markdown/* mermaidText */.Hg)(`${unit.settings.functionName}${withRegion && region ? ` ${region}` : ''}`)}`);
        for (const step of view.steps.slice(0, RELEASE_SUMMARY_CAPS.stepsPerUnit)) {
            const tag = !step.ok || step.name === 'rollback' ? 'crit, ' : 'done, ';
            const start = Math.round(step.startMs);
            const end = start + Math.max(1, Math.round(step.durationMs));
            lines.push(`  ${(0,markdown/* mermaidText */.Hg)(step.name)} (${(0,format/* formatMs */._V)(step.durationMs)}) :${tag}${start}, ${end}`);
        }
    });
    lines.push('```');
    const more = units.length - RELEASE_SUMMARY_CAPS.timelineUnits;
    if (more > 0)
        lines.push(...(0,markdown/* moreNote */.ys)(more, 'functions on the timeline (every one is in the table)'));
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/action/constants.ts
/** Input and output names of action.yml, declared once. */
const Inputs = {
    Stage: 'stage',
    Command: 'command',
    Artifact: 'artifact',
    Image: 'image',
    Config: 'config',
    PromoteFrom: 'promote-from',
    ToVersion: 'to-version',
    FunctionName: 'function-name',
    Alias: 'alias',
    Region: 'region',
    S3Bucket: 's3-bucket',
    LogLevel: 'log-level',
    SmokeUrl: 'smoke-url',
    GithubToken: 'github-token',
    DryRun: 'dry-run',
    Force: 'force',
};
const Outputs = {
    Status: 'status',
    Version: 'version',
    PreviousVersion: 'previous-version',
    CodeSha256: 'code-sha256',
    AliasArn: 'alias-arn',
    /** JSON: every function and region of the release (`function`, `region`, `version`, `previous-version`, `code-sha256`). */
    Release: 'release',
    /** The URL smoke-tested: `smoke.url`, or the alias's function URL (the first function's when several). */
    Url: 'url',
};

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/action/environment.ts
/**
 * What the run takes from the process: the workspace, the temp directory, the commit and run,
 * the step's environment, and the two waits the test rings shorten. Read here, once.
 */


/**
 * Test knobs, for the end-to-end ring and the benchmark, which hold canary steps for seconds,
 * not minutes (documented in the README's Contributing section):
 * - `STAGE_DEPLOY_GATE_INTERVAL_MS`: how often the gates are read while a step is held
 *   (default 10 s; at least GATE_INTERVAL_FLOOR_MS, so CloudWatch is never polled in a tight loop);
 * - `STAGE_DEPLOY_LOG_RETRY_MS`: the wait between tries to read a failed version's logs
 *   (default 2 s; at least LOG_RETRY_FLOOR_MS).
 */
const GATE_INTERVAL_FLOOR_MS = 100;
const LOG_RETRY_FLOOR_MS = 50;
function environmentFromProcess(env = process.env, cwd = process.cwd()) {
    const gateIntervalMs = knob(env.STAGE_DEPLOY_GATE_INTERVAL_MS, GATE_INTERVAL_FLOOR_MS);
    const logRetryMs = knob(env.STAGE_DEPLOY_LOG_RETRY_MS, LOG_RETRY_FLOOR_MS);
    return {
        workspace: env.GITHUB_WORKSPACE || cwd,
        tempDir: env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(),
        env,
        context: { commit: env.GITHUB_SHA ?? '', runId: env.GITHUB_RUN_ID ?? '', ...pullRequestOf(env) },
        timing: { ...(gateIntervalMs !== undefined && { gateIntervalMs }), ...(logRetryMs !== undefined && { logRetryMs }) },
    };
}
/** A number of milliseconds, never below `floor`; undefined when unset or not a number. */
function knob(text, floor) {
    if (text === undefined || text.trim() === '')
        return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? Math.max(floor, value) : undefined;
}
/** The workflow run's page, when the runner says where it is. */
function runUrl(env = process.env) {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
    return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}
/**
 * The pull request's number, from the event payload GitHub writes for the job (GITHUB_EVENT_PATH:
 * `pull_request.number`, else `number`) and from nowhere else: never from a title, a branch name
 * or any text a contributor writes. Only a whole number, 1 or more; anything else is no number
 * (and a preview or remove is then refused while the stage is resolved).
 */
function pullRequestOf(env) {
    const path = env.GITHUB_EVENT_PATH;
    if (!path)
        return {};
    let payload;
    try {
        payload = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch {
        return {};
    }
    if (typeof payload !== 'object' || payload === null)
        return {};
    const event = payload;
    const number = typeof event.pull_request === 'object' && event.pull_request !== null ? event.pull_request.number : event.number;
    return typeof number === 'number' && Number.isSafeInteger(number) && number >= 1 ? { pullRequest: number } : {};
}

// EXTERNAL MODULE: ./src/model/settings.ts
var settings = __webpack_require__(4692);
// EXTERNAL MODULE: ./src/stages/parse.ts
var parse = __webpack_require__(4640);
;// CONCATENATED MODULE: ./src/action/inputs.ts
/**
 * All of the action's inputs, read in one place into one documented object. Pure: main.ts hands
 * in a getter (core.getInput), tests hand in a plain map.
 */




function readInputs(get) {
    const value = (name) => {
        const text = get(name).trim();
        return text === '' ? undefined : text;
    };
    const stage = value(Inputs.Stage);
    if (stage === undefined)
        throw new errors/* InputError */.dz(`${Inputs.Stage}: required (a stage of the stages file, e.g. dev)`);
    const command = value(Inputs.Command) ?? 'deploy';
    if (!settings/* COMMANDS */.Lo.includes(command)) {
        throw new errors/* InputError */.dz(`${Inputs.Command}: ${JSON.stringify(command)} is not a command (use ${settings/* COMMANDS */.Lo.join(', ')})`);
    }
    const config = value(Inputs.Config);
    const overrides = {};
    const set = (key, name) => {
        const text = value(name);
        if (text !== undefined)
            overrides[key] = text;
    };
    set('functionName', Inputs.FunctionName);
    set('alias', Inputs.Alias);
    set('region', Inputs.Region);
    set('s3Bucket', Inputs.S3Bucket);
    set('logLevel', Inputs.LogLevel);
    set('smokeUrl', Inputs.SmokeUrl);
    const inputs = {
        stage,
        command: command,
        config: config ?? parse/* DEFAULT_CONFIG_FILE */.Cu,
        configRequired: config !== undefined,
        overrides,
        dryRun: readBoolean(Inputs.DryRun, value(Inputs.DryRun)),
        force: readBoolean(Inputs.Force, value(Inputs.Force)),
    };
    const artifact = value(Inputs.Artifact);
    if (artifact !== undefined)
        inputs.artifact = artifact;
    const image = value(Inputs.Image);
    if (image !== undefined)
        inputs.image = image;
    const promoteFrom = value(Inputs.PromoteFrom);
    if (promoteFrom !== undefined)
        inputs.promoteFrom = promoteFrom;
    const toVersion = value(Inputs.ToVersion);
    if (toVersion !== undefined)
        inputs.toVersion = toVersion;
    const githubToken = value(Inputs.GithubToken);
    if (githubToken !== undefined)
        inputs.githubToken = githubToken;
    // A deploy's code (the artifact or image input, or each function's own in the stages file) is
    // checked when the stage is resolved (src/stages/resolve.ts), where the stage is known.
    if (inputs.command === 'promote') {
        if (inputs.promoteFrom === undefined)
            throw new errors/* InputError */.dz(`${Inputs.PromoteFrom}: required for command promote (the stage to promote from)`);
        if (inputs.promoteFrom === stage) {
            throw new errors/* InputError */.dz(`${Inputs.PromoteFrom}: ${JSON.stringify(inputs.promoteFrom)} is the stage being promoted to; name another stage`);
        }
    }
    if (inputs.toVersion !== undefined && !/^[0-9]+$/.test(inputs.toVersion)) {
        throw new errors/* InputError */.dz(`${Inputs.ToVersion}: ${JSON.stringify(inputs.toVersion)} is not a version number (e.g. 7)`);
    }
    return inputs;
}
function readBoolean(name, text) {
    if (text === undefined)
        return false;
    const lower = text.toLowerCase();
    if (lower === 'true')
        return true;
    if (lower === 'false')
        return false;
    throw new errors/* InputError */.dz(`${name}: ${JSON.stringify(text)} is not a boolean (use true or false)`);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/action/runner.ts
/**
 * What the action asks of the runner: inputs, outputs, saved state, masks, annotations, the job
 * summary. `Runner` is the part of @actions/core the action uses; `fileRunner` does the same
 * with the runner's files and workflow commands, as @actions/core 3.x does (lib/core.js,
 * file-command.js, command.js, summary.js), without the rest of that package.
 *
 * Why not @actions/core itself: importing it loads its OIDC client, hence @actions/http-client and
 * undici (about 1 MB of the 3.4 MB bundle), and @actions/exec for its platform helpers, none of
 * which a deploy uses; compiling and evaluating them was about a fifth of the action's start-up
 * (bench/RESULTS.md). dist/index.js (src/index.ts) runs with `fileRunner`; @github/local-action
 * (src/main.ts, src/post.ts) hands in @actions/core, which it stands in for.
 */





/** `%`, CR and LF escaped: the message of a workflow command stays on its line (command.js escapeData). */
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** As escapeData, and `:` and `,` too: a property cannot end the command's header (command.js escapeProperty). */
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/** `::name key=value,…::message` on its own line (command.js issueCommand). */
function issueCommand(name, properties, message) {
    const props = Object.entries(properties)
        .filter((entry) => Boolean(entry[1]))
        .map(([key, value]) => `${key}=${escapeProperty(value)}`)
        .join(',');
    process.stdout.write(`::${name}${props === '' ? '' : ` ${props}`}::${escapeData(message)}${external_node_os_.EOL}`);
}
/** `name<<delimiter`, the value, `delimiter`, appended to the file GITHUB_<command> names (file-command.js). */
function issueFileCommand(command, name, value) {
    const path = process.env[`GITHUB_${command}`] ?? '';
    if (!(0,external_node_fs_.existsSync)(path))
        throw new Error(`Missing file at path: ${path}`);
    const delimiter = `ghadelimiter_${(0,external_node_crypto_.randomUUID)()}`;
    if (name.includes(delimiter))
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    if (value.includes(delimiter))
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    (0,external_node_fs_.appendFileSync)(path, `${name}<<${delimiter}${external_node_os_.EOL}${value}${external_node_os_.EOL}${delimiter}${external_node_os_.EOL}`, { encoding: 'utf8' });
}
/** The job summary: text added, then appended to GITHUB_STEP_SUMMARY in one write (summary.js). */
class Summary {
    buffer = '';
    addRaw(text) {
        this.buffer += text;
        return this;
    }
    async write() {
        const path = process.env.GITHUB_STEP_SUMMARY;
        if (!path)
            throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
        try {
            await (0,promises_.access)(path, external_node_fs_.constants.R_OK | external_node_fs_.constants.W_OK);
        }
        catch {
            throw new Error(`Unable to access summary file: '${path}'. Check if the file has correct read/write permissions.`);
        }
        await (0,promises_.appendFile)(path, this.buffer, { encoding: 'utf8' });
        this.buffer = '';
        return this;
    }
}
/** The runner's files and workflow commands, as @actions/core writes them. */
const fileRunner = {
    getInput: (name) => (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim(),
    getState: (name) => process.env[`STATE_${name}`] || '',
    saveState: (name, value) => {
        if (process.env.GITHUB_STATE)
            issueFileCommand('STATE', name, value);
        else
            issueCommand('save-state', { name }, value);
    },
    setOutput: (name, value) => {
        if (process.env.GITHUB_OUTPUT)
            issueFileCommand('OUTPUT', name, value);
        else {
            process.stdout.write(external_node_os_.EOL);
            issueCommand('set-output', { name }, value);
        }
    },
    setSecret: (secret) => issueCommand('add-mask', {}, secret),
    setFailed: (message) => {
        process.exitCode = 1;
        issueCommand('error', {}, message);
    },
    info: (message) => {
        process.stdout.write(message + external_node_os_.EOL);
    },
    warning: (message) => issueCommand('warning', {}, message),
    error: (message, properties = {}) => issueCommand('error', { title: properties.title }, message),
    startGroup: (name) => issueCommand('group', {}, name),
    endGroup: () => issueCommand('endgroup', {}, ''),
    summary: new Summary(),
};
let current = fileRunner;
/** Which runner the action talks to: `fileRunner` unless @github/local-action's @actions/core is handed in (src/action/local-action.ts). */
function useRunner(runner) {
    current = runner;
}
/** The runner in use: what main.ts and output.ts call. */
const core = {
    getInput: (name) => current.getInput(name),
    getState: (name) => current.getState(name),
    saveState: (name, value) => current.saveState(name, value),
    setOutput: (name, value) => current.setOutput(name, value),
    setSecret: (secret) => current.setSecret(secret),
    setFailed: (message) => current.setFailed(message),
    info: (message) => current.info(message),
    warning: (message) => current.warning(message),
    error: (message, properties) => current.error(message, properties),
    startGroup: (name) => current.startGroup(name),
    endGroup: () => current.endGroup(),
    get summary() {
        return current.summary;
    },
};

;// CONCATENATED MODULE: ./src/action/output.ts
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

/** Shown in place of a lone carriage return, which the runner would take for a line break. */
const CARRIAGE_RETURN = '\u240D';
/** Inserted to break a command mark (`::` at a line's start, `##[` anywhere). */
const DEFUSER = '\u00B7';
// White space as C#'s char.IsWhiteSpace (and JavaScript's) has it.
const WHITE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF';
// Characters ICU collation may skip when matching: default ignorables, format and control characters.
const IGNORABLE = '\\p{Default_Ignorable_Code_Point}\\p{Cf}\\p{Cc}';
const LEADING_COLONS = new RegExp(`^([${WHITE}${IGNORABLE}]*:)(?=[${IGNORABLE}]*:)`, 'u');
const LEGACY_MARK = new RegExp(`#(?=[${IGNORABLE}]*#[${IGNORABLE}]*\\[)`, 'gu');
/** One line (no line breaks in it) the runner recognises no command in. */
function defuseLine(line) {
    let out = line.replace(LEGACY_MARK, `#${DEFUSER}`);
    out = out.replace(LEADING_COLONS, `$1${DEFUSER}`);
    return out;
}
/** The text as lines the runner reads no command from, joined with `\n`. */
function defuse(text) {
    return text
        .replace(/\r\n/g, '\n')
        .replace(/\r/g, CARRIAGE_RETURN)
        .split('\n')
        .map(defuseLine)
        .join('\n');
}
/** Print text to the log (stdout), whatever it contains, without the runner finding a command in it. */
function info(text) {
    core.info(defuse(text));
}
/**
 * A warning annotation. @actions/core escapes the message (escapeData), so it stays one command
 * line; the runner shows it unescaped in the annotation.
 */
function warn(text) {
    core.warning(text);
}
let openGroups = 0;
/**
 * `work`, with what it prints folded under `title` in the log (`::group::` … `::endgroup::`). The
 * runner has one level of groups: inside a group, another is not opened (its lines stay in the
 * outer one). The title is defused like any line, then escaped by the runner module (escapeData).
 */
async function group(title, work) {
    if (openGroups > 0)
        return work();
    openGroups++;
    core.startGroup(defuse(title).replace(/\n/g, ' '));
    try {
        return await work();
    }
    finally {
        core.endGroup();
        openGroups--;
    }
}
/** An error annotation; the title, escaped by @actions/core's escapeProperty, cannot end the header. */
function error(text, title) {
    core.error(text, title === undefined ? {} : { title });
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/action/state.ts
/**
 * The rollout state the main step leaves its post step, made tamper-evident. Saved state travels
 * through the runner's GITHUB_STATE file, and a `save-state` workflow command in printed text
 * could plant one; so the main step signs what it saves: HMAC-SHA256, with a key made at random
 * for this step (32 bytes) and kept in a 0600 file directly under RUNNER_TEMP, named by a random
 * key id. The id and the MAC go into the state beside the rollout; the key itself never does, nor
 * stdout. The post step finds the file again from the id, and acts on the state only when the MAC
 * verifies; then it removes the file.
 */



const KEY_BYTES = 32;
const KEY_ID = /^[0-9a-f]{32}$/;
/** What is MACed starts with this, so that a MAC made here means nothing anywhere else. */
const DOMAIN = 'stage-deploy rollout state v1';
function keyFile(dir, keyId) {
    return (0,external_node_path_.join)(dir, `stage-deploy-state-${keyId}.key`);
}
function macOf(key, keyId, payload) {
    return (0,external_node_crypto_.createHmac)('sha256', key).update(`${DOMAIN}\n${keyId}\n${payload}`).digest('hex');
}
/** Signs for one main step: the key is made, and its file written, on the first signature. */
class StateSigner {
    dir;
    key;
    /** `dir`: the runner's temp directory (RUNNER_TEMP), read when the first state is signed. */
    constructor(dir) {
        this.dir = dir;
    }
    sign(payload) {
        if (this.key === undefined) {
            const id = (0,external_node_crypto_.randomBytes)(16).toString('hex');
            const bytes = (0,external_node_crypto_.randomBytes)(KEY_BYTES);
            // 'wx': never over a file that is already there; 0600: the runner's user only.
            (0,external_node_fs_.writeFileSync)(keyFile(this.dir(), id), bytes, { flag: 'wx', mode: 0o600 });
            this.key = { id, bytes };
        }
        return { keyId: this.key.id, mac: macOf(this.key.bytes, this.key.id, payload) };
    }
}
/** Whether `signed` is what this step's main step signed: its key file is there, private, and the MAC verifies. */
function verifyState(dir, signed) {
    if (!KEY_ID.test(signed.keyId))
        return { ok: false, reason: 'no key id was saved with it' };
    const path = keyFile(dir, signed.keyId);
    let key;
    try {
        const stat = (0,external_node_fs_.lstatSync)(path);
        if (!stat.isFile())
            return { ok: false, reason: 'its key is not a regular file' };
        if (process.platform !== 'win32') {
            if ((stat.mode & 0o077) !== 0)
                return { ok: false, reason: 'its key file is readable by others' };
            if (process.getuid !== undefined && stat.uid !== process.getuid())
                return { ok: false, reason: 'its key file belongs to another user' };
        }
        key = (0,external_node_fs_.readFileSync)(path);
    }
    catch {
        return { ok: false, reason: 'its key file is missing' };
    }
    if (key.length !== KEY_BYTES)
        return { ok: false, reason: 'its key file is not a key' };
    const expected = Buffer.from(macOf(key, signed.keyId, signed.payload), 'hex');
    const given = /^[0-9a-f]{64}$/.test(signed.mac) ? Buffer.from(signed.mac, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !(0,external_node_crypto_.timingSafeEqual)(given, expected))
        return { ok: false, reason: 'its MAC does not verify' };
    return { ok: true };
}
/** The post step is done with the key: remove its file (a well-formed id only; a missing file is fine). */
function discardKey(dir, keyId) {
    if (KEY_ID.test(keyId))
        (0,external_node_fs_.rmSync)(keyFile(dir, keyId), { force: true });
}

;// CONCATENATED MODULE: ./src/action/main.ts
/**
 * The action's entry, and the only code that talks to the runner (./runner.ts): reads the inputs, runs the
 * command, sets the outputs and the job summary, and fails the step when the release failed.
 * The post step (`post-if: always()`) runs the same file again and restores a shift left behind.
 *
 * Nothing here starts on import: src/index.ts (the ncc bundle, dist/index.js) calls run(), and
 * src/main.ts / src/post.ts hand runMain() / runPost() to @github/local-action. Only what every
 * @actions/core stand-in has is used (local-action's has no `ExitCode`, and its setFailed does
 * not touch the exit code): a failed step sets process.exitCode itself.
 */















// Every line for the log goes through ./output.js, so that no text the action prints (much of it
// not the action's own) can be taken by the runner for a workflow command.
const log = {
    info: (message) => info(message),
    warn: (message) => warn(message),
    error: (message) => error(message),
    group: (title, work) => group(title, work),
};
const State = { IsPost: 'isPost', Rollout: 'rollout', RolloutMac: 'rolloutMac', RolloutKey: 'rolloutKey' };
/** The exit code of a failed step (the runner's, as @actions/core's ExitCode.Failure). */
const FAILURE = 1;
/** The entry for both steps: the post step (`post-if: always()`) runs the same file again. */
async function run() {
    if (core.getState(State.IsPost) === 'true')
        await post();
    else
        await main();
}
/** The main step alone (for @github/local-action, through src/main.ts). */
function runMain() {
    return main();
}
/** The post step alone (for @github/local-action, through src/post.ts). */
function runPost() {
    return post();
}
/**
 * A shift in progress is remembered in the step's state, where the post step finds it, signed
 * (state.ts): the key id and the MAC are saved beside it, the key stays in a file under RUNNER_TEMP.
 */
const signer = new StateSigner(() => environmentFromProcess().tempDir);
const rolloutState = {
    save: (state) => {
        const payload = JSON.stringify(state);
        const { keyId, mac } = signer.sign(payload);
        core.saveState(State.RolloutKey, keyId);
        core.saveState(State.RolloutMac, mac);
        core.saveState(State.Rollout, payload);
    },
    clear: () => {
        core.saveState(State.Rollout, '');
        core.saveState(State.RolloutMac, '');
    },
    // A release of several units: every shift in progress, as one signed list (release/group.ts).
    saveUnits: (states) => {
        if (states.length === 0) {
            rolloutState.clear();
            return;
        }
        const payload = JSON.stringify(states);
        const { keyId, mac } = signer.sign(payload);
        core.saveState(State.RolloutKey, keyId);
        core.saveState(State.RolloutMac, mac);
        core.saveState(State.Rollout, payload);
    },
};
async function main() {
    core.saveState(State.IsPost, 'true');
    // A cancelled job gets SIGINT (then SIGTERM): a shift in progress puts the alias back first.
    const cancel = new AbortController();
    const onSignal = (signal) => {
        warn(`${signal} received: stopping, and putting the alias back if a shift is in progress.`);
        cancel.abort(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
        const inputs = readInputs((name) => core.getInput(name));
        const environment = environmentFromProcess();
        const file = await (0,config/* loadConfig */.Z9)(inputs, environment);
        const units = (0,config/* resolveUnits */.oQ)(inputs, file, environment);
        const settings = units[0];
        if (settings === undefined)
            throw new Error(`stage ${inputs.stage} has no function`);
        for (const secret of units.flatMap((unit) => unit.smoke?.secrets ?? []))
            core.setSecret(secret);
        // The stage is known and valid: only now the composition root, and with it the AWS SDK
        // (../config.ts says why).
        const { runCommand, systemClock } = await Promise.all(/* import() */[__webpack_require__.e(477), __webpack_require__.e(373)]).then(__webpack_require__.bind(__webpack_require__, 8373));
        const outcome = await runCommand(inputs, file, units, environment, { log, clock: systemClock, signal: cancel.signal, state: rolloutState });
        if (outcome.kind === 'status') {
            core.setOutput(Outputs.Release, statusReleaseOutput(outcome.stages, outcome.settings.stage, environment.env.AWS_REGION || environment.env.AWS_DEFAULT_REGION || undefined));
            await reportStatus(outcome);
            return;
        }
        if (outcome.kind === 'removal') {
            await reportRemoval(outcome);
            return;
        }
        const defaultRegion = environment.env.AWS_REGION || environment.env.AWS_DEFAULT_REGION || undefined;
        const released = outcome.units.length > 0 ? outcome.units : [{ settings, result: outcome.result }];
        core.setOutput(Outputs.Release, releaseOutput(released, defaultRegion));
        // The URL the stage is smoke-tested at (its smoke.url or its alias's function URL), the first function's.
        core.setOutput(Outputs.Url, outcome.url ?? outcome.settings.smoke?.url ?? '');
        if (released.length > 1) {
            await reportRelease(outcome.settings.stage, released, defaultRegion);
            return;
        }
        const view = viewOf(outcome.result);
        if (view.plan !== undefined) {
            info(`dry-run: nothing was changed. ${view.command} ${view.stage} would:`);
            view.plan.forEach((step, i) => info(`  ${i + 1}. ${step}`));
        }
        setOutputs(view);
        const url = runUrl();
        await writeSummary(renderSummary(outcome.result, { ...(settings.region !== undefined && { region: settings.region }), ...(url !== undefined && { runUrl: url }) }));
        if (view.diagnosis)
            (0,report_diagnosis/* diagnosisLog */.Ow)(view.diagnosis).forEach((line) => info(line));
        if ((0,results/* isSuccess */.o)(outcome.result))
            info(closingLine(view));
        else {
            // One annotation, titled with the stage and the versions, and the step fails.
            error(view.error ?? `${view.stage}: ${view.status}`, failureTitle(outcome.result));
            process.exitCode = FAILURE;
        }
    }
    catch (error) {
        core.setOutput(Outputs.Status, 'failed');
        core.setOutput(Outputs.Release, '[]');
        core.setFailed((0,errors/* errorMessage */.gJ)(error));
        // @actions/core's setFailed sets it too; a stand-in's (local-action's) may not.
        process.exitCode = FAILURE;
    }
    finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    }
}
/**
 * The post step acts only on what its own main step left: a state whose MAC verifies with the key
 * its main step kept, naming the alias of the stage its own inputs resolve to (cleanUp then checks
 * that the alias is as the shift left it). Anything else: a warning, and nothing changes.
 */
async function post() {
    const saved = core.getState(State.Rollout);
    if (!saved) {
        log.info('stage-deploy post: no shift was left in progress.');
        return;
    }
    const environment = environmentFromProcess();
    const keyId = core.getState(State.RolloutKey);
    const verified = verifyState(environment.tempDir, { keyId, payload: saved, mac: core.getState(State.RolloutMac) });
    if (!verified.ok) {
        // The key file stays: a forged state naming another step's key id must not spoil that step's post.
        log.warn(`stage-deploy post: the saved rollout state is not one this step's main step signed (${verified.reason}); nothing was changed.`);
        return;
    }
    discardKey(environment.tempDir, keyId);
    let target;
    try {
        const inputs = readInputs((name) => core.getInput(name));
        // Every unit of the stage (one for a plain stage): the saved state may name only these.
        const units = (0,config/* resolveUnits */.oQ)(inputs, await (0,config/* loadConfig */.Z9)(inputs, environment), environment).map((settings) => ({
            functionName: settings.functionName,
            alias: settings.alias,
            ...(settings.region !== undefined && { region: settings.region }),
            ...(settings.role !== undefined && { role: settings.role }),
            stage: settings.stage,
        }));
        target = units.length === 1 && units[0] !== undefined ? units[0] : units;
    }
    catch (error) {
        log.warn(`stage-deploy post: this step's stage cannot be resolved (${(0,errors/* errorMessage */.gJ)(error)}); nothing was changed.`);
        return;
    }
    const { cleanUp } = await Promise.all(/* import() */[__webpack_require__.e(477), __webpack_require__.e(373)]).then(__webpack_require__.bind(__webpack_require__, 8373));
    await cleanUp(saved, target, log);
}
/**
 * A release of several units (functions × regions): the outputs `version`, `previous-version`,
 * `code-sha256` and `alias-arn` describe the first unit, `status` the whole release; one summary,
 * one closing line, and on failure one annotation naming the unit that failed.
 */
async function reportRelease(stage, units, defaultRegion) {
    const views = units.map((unit) => viewOf(unit.result));
    const first = views[0];
    if (first === undefined)
        return;
    const withRegion = spansRegions(units, defaultRegion);
    const plans = views.filter((view) => view.plan !== undefined);
    if (plans.length > 0) {
        info(`dry-run: nothing was changed. ${first.command} ${stage} would:`);
        units.forEach((unit, i) => {
            const plan = views[i]?.plan;
            if (plan === undefined)
                return;
            info(`  ${unitName(unit, withRegion, defaultRegion)}:`);
            plan.forEach((step, n) => info(`    ${n + 1}. ${step}`));
        });
    }
    setOutputs({ ...first, status: releaseStatus(units) });
    const url = runUrl();
    await writeSummary(renderReleaseSummary(units, { ...(defaultRegion !== undefined && { defaultRegion }), ...(url !== undefined && { runUrl: url }) }));
    units.forEach((unit, i) => {
        const diagnosis = views[i]?.diagnosis;
        if (diagnosis === undefined)
            return;
        info(`${unitName(unit, withRegion, defaultRegion)}:`);
        (0,report_diagnosis/* diagnosisLog */.Ow)(diagnosis).forEach((line) => info(line));
    });
    if (releaseSucceeded(units))
        info(releaseClosingLine(stage, units, defaultRegion));
    else {
        const { message, title } = releaseFailure(stage, units, defaultRegion);
        error(message, title);
        process.exitCode = FAILURE;
    }
}
function reportStatus(outcome) {
    if (outcome.stages.length > 0)
        info(renderStatusTable(outcome.stages, { forLog: true }));
    if (outcome.previews.length > 0)
        info(`Previews:\n${renderPreviewTable(outcome.previews, { forLog: true })}`);
    // Misconfigurations (a function URL that bypasses a stage's alias), once each.
    for (const warning of new Set(outcome.stages.flatMap((s) => s.warnings ?? [])))
        warn(warning);
    const own = outcome.stages[0];
    core.setOutput(Outputs.Status, 'unchanged');
    core.setOutput(Outputs.Version, own?.version ?? '');
    core.setOutput(Outputs.PreviousVersion, own?.earlier[0]?.version ?? '');
    core.setOutput(Outputs.CodeSha256, own?.codeSha256 ?? '');
    core.setOutput(Outputs.AliasArn, own?.aliasArn ?? '');
    return writeSummary(renderStatusSummary(outcome.stages, outcome.previews));
}
/** remove and prune: status `removed` when a preview was removed, `unchanged` when there was none (or a dry run). */
function reportRemoval(outcome) {
    const gone = outcome.removed.filter((r) => r.aliasDeleted || r.urlDeleted || r.versions.length > 0);
    core.setOutput(Outputs.Status, gone.length > 0 && !outcome.dryRun ? 'removed' : 'unchanged');
    core.setOutput(Outputs.Url, '');
    const lines = [`### stage-deploy: previews of ${(0,markdown/* inline */.mG)(outcome.settings.stage, 80)}${outcome.dryRun ? ' (dry run: nothing was changed)' : ''}`, ''];
    if (outcome.removed.length === 0)
        lines.push('No preview to remove.');
    for (const r of outcome.removed) {
        lines.push(`- ${(0,markdown/* inline */.mG)(r.alias, 140)}: ${outcome.dryRun ? 'would remove' : r.aliasDeleted ? 'removed' : 'already gone'}; versions ${(0,markdown/* inline */.mG)(r.versions.join(', ') || 'none', 200)}`);
        if (outcome.dryRun)
            info(`dry-run: would remove ${r.alias} and versions ${r.versions.join(', ') || 'none'}`);
    }
    return writeSummary(lines.join('\n'));
}
/** The job summary is a report: failing to write it never fails a release. */
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    try {
        await core.summary.addRaw(markdown).write();
    }
    catch (error) {
        warn(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
    }
}
function setOutputs(result) {
    core.setOutput(Outputs.Status, result.status);
    core.setOutput(Outputs.Version, result.version ?? '');
    core.setOutput(Outputs.PreviousVersion, result.previousVersion ?? '');
    core.setOutput(Outputs.CodeSha256, result.codeSha256 ?? '');
    core.setOutput(Outputs.AliasArn, result.aliasArn ?? '');
}
/** `stage-deploy: dev rolled back from 8 to 7`, the annotation's title. */
function failureTitle(outcome) {
    const result = viewOf(outcome);
    const to = result.candidateVersion ?? '—';
    if (result.status === 'rolled-back')
        return `stage-deploy: ${result.stage} rolled back from ${to} to ${result.version ?? '— (alias removed)'}`;
    if (result.repair)
        return `stage-deploy: ${result.stage} ROLLBACK FAILED, alias may be on ${to}`;
    return `stage-deploy: ${result.command} of ${result.stage} failed, alias stays on ${result.version ?? '—'}`;
}
function closingLine(result) {
    if (result.status === 'unchanged')
        return `${result.stage}: unchanged, alias ${result.alias} stays on version ${result.version ?? '—'}.`;
    return `${result.stage}: ${result.status}, alias ${result.alias} ${result.previousVersion ?? '(new)'} → ${result.version}.`;
}


/***/ }),

/***/ 927:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Rg: () => (/* binding */ bodyRegexMatches),
/* harmony export */   ZM: () => (/* binding */ compileBodyRegex),
/* harmony export */   bV: () => (/* binding */ BODY_FLAGS)
/* harmony export */ });
/* harmony import */ var re2js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2856);
/**
 * `expect-body` regexes on RE2 (re2js, pure JS): matching takes time linear in the body, so a
 * pattern like /^(a+)+$/ cannot block the event loop. RE2 has no backreferences and no
 * lookaround; those patterns are refused when the stage is resolved (src/stages/values.ts).
 */

/** The flags `expect-body` accepts, and RE2's for each. */
const BODY_FLAGS = {
    i: re2js__WEBPACK_IMPORTED_MODULE_0__/* .RE2JS */ .L3.CASE_INSENSITIVE,
    m: re2js__WEBPACK_IMPORTED_MODULE_0__/* .RE2JS */ .L3.MULTILINE,
    s: re2js__WEBPACK_IMPORTED_MODULE_0__/* .RE2JS */ .L3.DOTALL,
};
/** Compile `/source/flags`; throws (RE2JSSyntaxException or Error) on syntax RE2 refuses or a flag it lacks. */
function compileBodyRegex(source, flags) {
    let bits = 0;
    for (const flag of flags) {
        const bit = BODY_FLAGS[flag];
        if (bit === undefined)
            throw new Error(`unsupported flag ${JSON.stringify(flag)} (use i, m or s)`);
        bits |= bit;
    }
    return re2js__WEBPACK_IMPORTED_MODULE_0__/* .RE2JS */ .L3.compile(source, bits);
}
/** Whether `/source/flags` finds a match anywhere in `body` (like RegExp.prototype.test). */
function bodyRegexMatches(source, flags, body) {
    return compileBodyRegex(source, flags).matcher(body).find();
}


/***/ }),

/***/ 2973:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z9: () => (/* binding */ loadConfig),
/* harmony export */   oQ: () => (/* binding */ resolveUnits)
/* harmony export */ });
/* unused harmony export resolveSettings */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _stages_parse_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4640);
/* harmony import */ var _stages_resolve_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4727);
/**
 * What a run is asked to do, read before anything talks to AWS: the stages file and the stage the
 * inputs name, with the inputs over it. Apart from the composition root (./app.ts) so that
 * src/action can check the inputs and the stages file without loading the AWS SDK: in dist/,
 * app.ts and the SDK are chunks of their own, imported once the stage is known, and a run refused
 * for bad input ends before them (in about 115 ms instead of 205 ms on this project's 2-core
 * machine: bench/aws-figures.mjs).
 */



/** The stages file, when there is one. */
async function loadConfig(inputs, environment) {
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(inputs.config) ? inputs.config : (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(environment.workspace, inputs.config);
    return (0,_stages_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .loadStagesFile */ .CU)(path, inputs.configRequired, inputs.config);
}
/** How the inputs name a stage: the stages file (when there is one) with the inputs over it. */
function stageOptions(inputs, file, environment) {
    return {
        ...(file !== undefined && { file }),
        fileName: inputs.config,
        stage: inputs.stage,
        overrides: inputs.overrides,
        env: environment.env,
        // status sends no smoke request, so it needs none of the secrets.
        unsetVariables: inputs.command === 'status' ? 'keep' : 'error',
        // The code inputs and the command: a deploy without code is refused while resolving.
        ...(inputs.artifact !== undefined && { artifact: inputs.artifact }),
        ...(inputs.image !== undefined && { image: inputs.image }),
        command: inputs.command,
        ...(environment.context.pullRequest !== undefined && { pullRequest: environment.context.pullRequest }),
    };
}
/** The stage the inputs name (its first unit, for a stage of several functions or regions). */
function resolveSettings(inputs, file, environment) {
    return resolveStage(stageOptions(inputs, file, environment));
}
/** Every unit of the stage the inputs name (stages/resolve.ts resolveStageUnits): one for a plain stage. */
function resolveUnits(inputs, file, environment) {
    return (0,_stages_resolve_js__WEBPACK_IMPORTED_MODULE_2__/* .resolveStageUnits */ .g0)(stageOptions(inputs, file, environment));
}


/***/ }),

/***/ 7206:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Xl: () => (/* binding */ AliasConflictError),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   eB: () => (/* binding */ errorChain),
/* harmony export */   gJ: () => (/* binding */ errorMessage)
/* harmony export */ });
/** Errors: bad input, and the message of anything thrown. */
/** Bad input: the message names the field and the value. Thrown before anything in AWS changes. */
class InputError extends Error {
    name = 'InputError';
}
/** The message of anything thrown. */
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}
/**
 * An error's message with its causes, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:9
 * (ECONNREFUSED)`: undici's "fetch failed" alone says nothing.
 */
function errorChain(error) {
    const parts = [];
    let current = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
        if (current instanceof Error) {
            const code = current.code;
            const text = code !== undefined && !current.message.includes(code) ? `${current.message} (${code})` : current.message;
            if (text !== '' && !parts.includes(text))
                parts.push(text);
            current = current.cause;
        }
        else {
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
class AliasConflictError extends Error {
    conflict;
    name = 'AliasConflictError';
    constructor(conflict, message, options) {
        super(message, options);
        this.conflict = conflict;
    }
}


/***/ }),

/***/ 8738:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J$: () => (/* binding */ functionBaseName),
/* harmony export */   Sz: () => (/* binding */ sameAliasState),
/* harmony export */   uy: () => (/* binding */ functionLogGroup),
/* harmony export */   zh: () => (/* binding */ RETENTION_DAYS)
/* harmony export */ });
/**
 * True when an alias read now is the one read (or written) before: the same RevisionId when both
 * have one, else the same version, description and weights. The check before a write or delete
 * that takes no RevisionId (DeleteAlias), or after a refused one.
 */
function sameAliasState(now, before) {
    if (now.revisionId !== undefined && before.revisionId !== undefined)
        return now.revisionId === before.revisionId;
    const versions = Object.keys(now.weights);
    return (now.version === before.version &&
        now.description === before.description &&
        versions.length === Object.keys(before.weights).length &&
        versions.every((version) => now.weights[version] === before.weights[version]));
}
/** `/aws/lambda/<name>`, or the log group the function's LoggingConfig names. */
function functionLogGroup(functionName, logging) {
    return logging?.logGroup || `/aws/lambda/${functionBaseName(functionName)}`;
}
/** `notes-api` for `notes-api`, `notes-api:prod`, `arn:aws:lambda:r:1:function:notes-api[:7]` or `1:function:notes-api`. */
function functionBaseName(functionName) {
    const parts = functionName.split(':');
    const at = parts.indexOf('function');
    return (at >= 0 ? parts[at + 1] : parts[0]) || functionName;
}
/** CloudWatch Logs' allowed retention values, in days. */
const RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];


/***/ }),

/***/ 3111:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ statusOf),
/* harmony export */   o: () => (/* binding */ isSuccess)
/* harmony export */ });
/** The `status` output of a result. */
function statusOf(result) {
    switch (result.kind) {
        case 'released':
            return result.command === 'deploy' ? 'deployed' : result.command === 'promote' ? 'promoted' : 'rolled-back';
        case 'unchanged':
        case 'dry-run':
            return 'unchanged';
        case 'reverted':
            // A rollback whose check failed went back to where it was: nothing was rolled back.
            return result.command === 'rollback' ? 'failed' : 'rolled-back';
        case 'not-shifted':
        case 'stranded':
            return 'failed';
    }
}
/** Whether the command did what it was asked: a release that had to be put back failed (the workflow turns red). */
function isSuccess(result) {
    return result.kind === 'released' || result.kind === 'unchanged' || result.kind === 'dry-run';
}


/***/ }),

/***/ 4692:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bp: () => (/* binding */ defaultSmoke),
/* harmony export */   Lo: () => (/* binding */ COMMANDS),
/* harmony export */   mH: () => (/* binding */ PREVIEW_COMMANDS)
/* harmony export */ });
/**
 * What a run is asked to do: the action's inputs, and one stage's settings resolved from the
 * stages file and the inputs.
 */
/** A smoke test with every setting at its default: GET, 2xx, 3 attempts 2 s apart, 10 s each. */
function defaultSmoke(url) {
    return {
        url,
        method: 'GET',
        headers: {},
        secrets: [],
        expectStatus: { codes: [], classes: [2], text: '2xx' },
        attempts: 3,
        intervalMs: 2000,
        timeoutMs: 10_000,
        invoke: false,
    };
}
const COMMANDS = ['deploy', 'promote', 'rollback', 'status', 'preview', 'remove', 'prune'];
/** The commands of a stage with a `preview` block (CONTRACT "A preview per pull request"); the others are refused there. */
const PREVIEW_COMMANDS = ['preview', 'remove', 'prune'];


/***/ }),

/***/ 2471:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ow: () => (/* binding */ diagnosisLog),
/* harmony export */   sW: () => (/* binding */ renderDiagnosis),
/* harmony export */   ut: () => (/* binding */ DIAGNOSIS_LINE_CAP)
/* harmony export */ });
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2011);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4285);


/** Lines of what the function said, at most, in the summary. */
const DIAGNOSIS_LINE_CAP = 20;
/** The diagnosis as Markdown, for the job summary: the function's own words in a code block, the rest escaped. */
function renderDiagnosis(d) {
    const version = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(d.version, 40);
    const lines = [`### What went wrong with version ${version}`, ''];
    lines.push(`**What the function said** (${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(d.logGroup)}, streams of version ${version}):`, '');
    if (d.lines.length > 0)
        lines.push((0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .codeBlock */ .DV)(d.lines, 'text', { maxLines: DIAGNOSIS_LINE_CAP }), '');
    else
        lines.push(`_${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(d.logsNote ?? 'nothing')}_`, '');
    lines.push('**What the metrics said** (over the release):', '');
    if (d.metrics) {
        lines.push('| | Invocations | Errors | Throttles | Duration p95 |', '|---|---|---|---|---|');
        lines.push(`| version ${version} | ${d.metrics.invocations} | ${d.metrics.errors} | ${d.metrics.throttles} | ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .formatOptionalMs */ .Iw)(d.metrics.durationP95Ms)} |`, '');
    }
    if (d.api) {
        lines.push('| API Gateway | 4XXError | 5XXError | Latency p95 |', '|---|---|---|---|');
        lines.push(`| ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(d.api.id)} (${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(d.api.stage)}) | ${d.api.errors4xx} | ${d.api.errors5xx} | ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .formatOptionalMs */ .Iw)(d.api.latencyP95Ms)} |`, '');
    }
    if (d.metricsNote)
        lines.push(`_${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(d.metricsNote)}_`, '');
    return lines.join('\n');
}
/** The diagnosis as log lines. */
function diagnosisLog(d) {
    const out = [`What version ${d.version} said in ${d.logGroup}:`];
    if (d.lines.length > 0)
        out.push(...d.lines.map((l) => `  ${l}`));
    else
        out.push(`  (${d.logsNote ?? 'nothing'})`);
    if (d.metrics) {
        out.push(`Metrics of version ${d.version} over the release: ${d.metrics.invocations} invocations, ${d.metrics.errors} errors, ` +
            `${d.metrics.throttles} throttles, p95 duration ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .formatOptionalMs */ .Iw)(d.metrics.durationP95Ms)}`);
    }
    if (d.api)
        out.push(`API ${d.api.id} (${d.api.stage}): ${d.api.errors4xx} 4XX, ${d.api.errors5xx} 5XX, p95 latency ${(0,_format_js__WEBPACK_IMPORTED_MODULE_0__/* .formatOptionalMs */ .Iw)(d.api.latencyP95Ms)}`);
    if (d.metricsNote)
        out.push(d.metricsNote);
    return out;
}


/***/ }),

/***/ 2011:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Iw: () => (/* binding */ formatOptionalMs),
/* harmony export */   V7: () => (/* binding */ formatWeights),
/* harmony export */   Xq: () => (/* binding */ formatSize),
/* harmony export */   _V: () => (/* binding */ formatMs),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   l9: () => (/* binding */ formatPercent)
/* harmony export */ });
/**
 * One set of formatters for everything the action prints: sizes, durations (as configured, and
 * as measured), percentages and traffic weights. Pure.
 */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** `12 KB`, `61.2 MB`. */
function formatSize(bytes) {
    if (bytes < 1024 * 1024)
        return `${Math.max(1, Math.round(bytes / 1024))} KB`;
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
/**
 * A configured duration, as a user writes it in the stages file: 500 → `500ms`, 2000 → `2s`,
 * 1500 → `1.5s`, 300000 → `5m`, 3600000 → `1h`.
 */
function formatDuration(ms) {
    if (!Number.isFinite(ms))
        return String(ms);
    const sign = ms < 0 ? '-' : '';
    const abs = Math.abs(Math.round(ms));
    if (abs === 0)
        return '0s';
    if (abs < 1000)
        return `${sign}${abs}ms`;
    if (abs % UNIT_MS.h === 0)
        return `${sign}${abs / UNIT_MS.h}h`;
    if (abs % UNIT_MS.m === 0)
        return `${sign}${abs / UNIT_MS.m}m`;
    return `${sign}${(abs / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}
/** A measured time, for people: `41 ms`, `1.2 s`, `12 s`, `1 min 5 s`. */
function formatMs(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 10_000)
        return `${(Math.round(ms / 100) / 10).toString()} s`;
    if (ms < 60_000)
        return `${Math.round(ms / 1000)} s`;
    return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
/** A measured time that may be missing: `—` or `41 ms`. */
function formatOptionalMs(ms) {
    return ms === undefined ? '—' : formatMs(ms);
}
/** A fraction as a percentage, at most two decimals: 0.1 → `10%`, 0.0125 → `1.25%`. */
function formatPercent(fraction) {
    return `${Math.round(fraction * 10_000) / 100}%`;
}
/** Traffic weights in flight: `version 8 at 10%, version 9 at 5%`. */
function formatWeights(weights) {
    return Object.entries(weights)
        .map(([version, weight]) => `version ${version} at ${formatPercent(weight)}`)
        .join(', ');
}


/***/ }),

/***/ 4285:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DV: () => (/* binding */ codeBlock),
/* harmony export */   Hg: () => (/* binding */ mermaidText),
/* harmony export */   SS: () => (/* binding */ codeSpan),
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   mG: () => (/* binding */ inline),
/* harmony export */   mW: () => (/* binding */ fitSummary),
/* harmony export */   wh: () => (/* binding */ plainText),
/* harmony export */   ye: () => (/* binding */ capChars),
/* harmony export */   ys: () => (/* binding */ moreNote)
/* harmony export */ });
/* unused harmony exports LINE_CAP, SUMMARY_LIMIT_BYTES, SUMMARY_BUDGET_BYTES, clip */
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
const LINE_CAP = 300;
/**
 * GitHub refuses a step summary over 1 MiB (1,048,576 bytes: "supports content up to a size of
 * 1024k") and shows none of it. The budget leaves room below that.
 */
const SUMMARY_LIMIT_BYTES = (/* unused pure expression or super */ null && (1024 * 1024));
const SUMMARY_BUDGET_BYTES = 1_000_000;
/** C0 and C1 controls but tab and line breaks, DEL, and the bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;
/** One line: control characters dropped, any whitespace run (line breaks included) one space, trimmed. */
function oneLine(text) {
    return text.replace(CONTROL, '').replace(LINE_BREAK, ' ').replace(/\s+/g, ' ').trim();
}
/** At most `max` characters (code points), with `…` when cut. */
function capChars(text, max = LINE_CAP) {
    if (text.length <= max)
        return text;
    const chars = Array.from(text.slice(0, 2 * max + 2));
    if (chars.length <= max && text.length <= 2 * max + 2)
        return text;
    return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}
/**
 * {@link oneLine} then {@link capChars}, looking at no more of `text` than it could need: a 5 MB
 * body costs what its first few kilobytes cost.
 */
function clip(text, max = LINE_CAP) {
    const room = 8 * max + 64;
    if (text.length <= room)
        return capChars(oneLine(text), max);
    // Not half of a surrogate pair at the cut.
    const line = oneLine(text.slice(0, room).replace(/[\uD800-\uDBFF]$/, ''));
    return Array.from(line).length < max ? `${line}…` : capChars(line, max);
}
const ENTITY = {
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
function inline(text, max = LINE_CAP) {
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
function escapeText(text, atLineStart) {
    let out = text.replace(SPECIAL, (c) => ENTITY[c] ?? `${c}${ZWSP}`);
    if (atLineStart) {
        // What starts a heading or a list only at the start of a line (a `>` is an entity already).
        out = out.replace(/^[#+=-]/, (c) => `&#${c.charCodeAt(0)};`).replace(/^(\d{1,9})([.)])/, (_m, digits, mark) => `${digits}&#${mark.charCodeAt(0)};`);
    }
    return out;
}
/** The longest run of backticks in `text`. */
function longestBacktickRun(text) {
    let longest = 0;
    for (const run of text.match(/`+/g) ?? [])
        longest = Math.max(longest, run.length);
    return longest;
}
/**
 * Untrusted text as an inline code span: one line, at most `max` characters, the fence longer
 * than any backtick run inside. `cell`: it sits in a table row, where `|` is written `\|`.
 */
function codeSpan(text, options = {}) {
    let content = clip(text, options.max ?? LINE_CAP);
    if (content === '')
        return '';
    if (options.cell)
        content = content.replace(/\|/g, '\\|');
    const fence = '`'.repeat(longestBacktickRun(content) + 1);
    // A span that starts or ends with a backtick needs a space inside its fence (stripped again).
    const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${content}${pad}${fence}`;
}
/** `_… and 3 more attempts_`, or nothing. */
function moreNote(more, what) {
    return more > 0 ? [`_… and ${more} more ${what}_`] : [];
}
/**
 * Untrusted lines as a fenced code block: at most `maxLines` lines (then a note below the block),
 * each at most `maxLineChars` characters, control characters (but tabs) dropped; the fence is
 * longer than any backtick run inside, so no line can close it. `info` is ours (`text`, `sh`).
 */
function codeBlock(lines, info = '', options = {}) {
    const maxLines = options.maxLines ?? 50;
    const maxLineChars = options.maxLineChars ?? LINE_CAP;
    const content = [];
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
            if (content.length < maxLines)
                content.push(capChars(part.replace(CONTROL, ''), maxLineChars));
        }
    }
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(content.join('\n')) + 1));
    return [`${fence}${info}`, ...content, fence, ...moreNote(total - content.length, total - content.length === 1 ? 'line' : 'lines')].join('\n');
}
/** Text for a Mermaid chart (titles, sections, labels): letters, digits, spaces and `._-`, the rest `_`. */
function mermaidText(text, max = 60) {
    return clip(text, max).replace(/[^\p{L}\p{N} ._-]/gu, '_');
}
/**
 * Plain text that GitHub shows as it is, like a deployment status's description: one line, no
 * control characters, and no `@mention` (a zero-width space after every `@`).
 */
function plainText(text) {
    return clip(text, 1000).replace(/@/g, '@\u200B');
}
/** A whole summary under `budget` bytes (UTF-8): cut at a line, what was open closed, and a note. */
function fitSummary(markdown, budget = SUMMARY_BUDGET_BYTES) {
    const bytes = Buffer.byteLength(markdown, 'utf8');
    if (bytes <= budget)
        return markdown;
    const note = `_The summary was cut here: it came to ${(bytes / (1024 * 1024)).toFixed(1)} MB, and GitHub shows at most 1 MiB per step. The log has the rest._`;
    // Room for the note, a closing fence and a few `</details>`.
    const room = budget - Buffer.byteLength(note) - 1024;
    const kept = [];
    let size = 0;
    for (const line of markdown.split('\n')) {
        const lineBytes = Buffer.byteLength(line, 'utf8') + 1;
        if (size + lineBytes > room)
            break;
        kept.push(line);
        size += lineBytes;
    }
    // Close what the cut left open: a code block, and <details> outside code blocks.
    let fence;
    let details = 0;
    for (const line of kept) {
        if (fence !== undefined) {
            if (new RegExp(`^ {0,3}${fence}\`*\\s*$`).test(line))
                fence = undefined;
            continue;
        }
        const open = /^ {0,3}(`{3,})/.exec(line);
        if (open?.[1] !== undefined)
            fence = open[1];
        else if (line.startsWith('<details'))
            details++;
        else if (line.startsWith('</details>'))
            details = Math.max(0, details - 1);
    }
    const closers = [...(fence !== undefined ? [fence] : []), ...Array(Math.min(details, 10)).fill('</details>')];
    return [...kept, ...closers, '', note, ''].join('\n');
}


/***/ }),

/***/ 4178:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   bp: () => (/* binding */ describeValue)
/* harmony export */ });
/* unused harmony export UNIT_MS */
/* harmony import */ var _model_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7206);

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/;
/**
 * A value for an error message: strings JSON-quoted (`"5 minutes"`), numbers and booleans as
 * written, lists and mappings as compact JSON (cut short when long).
 */
function describeValue(value) {
    if (value === undefined)
        return 'nothing';
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
    let text;
    try {
        text = JSON.stringify(value) ?? String(value);
    }
    catch {
        text = String(value);
    }
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
/**
 * Milliseconds from `500ms`, `2s`, `1.5s`, `5m`, `1h`, or a number (or numeric string) of
 * seconds. Anything else is an InputError naming `field` and the value.
 */
function parseDuration(value, field) {
    let ms;
    if (typeof value === 'number') {
        if (Number.isFinite(value) && value >= 0)
            ms = value * 1000;
    }
    else if (typeof value === 'string') {
        const match = DURATION.exec(value.trim());
        if (match) {
            const unit = (match[2] ?? 's');
            ms = Number(match[1]) * UNIT_MS[unit];
        }
    }
    if (ms === undefined || !Number.isFinite(ms) || ms > Number.MAX_SAFE_INTEGER) {
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`${field}: ${describeValue(value)} is not a duration (use 500ms, 2s or 5m)`);
    }
    return Math.round(ms);
}


/***/ }),

/***/ 9327:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DI: () => (/* binding */ mergeStage),
/* harmony export */   IN: () => (/* binding */ isReservedKey),
/* harmony export */   Kb: () => (/* binding */ excerpt),
/* harmony export */   Zv: () => (/* binding */ listNames),
/* harmony export */   i7: () => (/* binding */ renderPath),
/* harmony export */   oj: () => (/* binding */ checkExtends),
/* harmony export */   vg: () => (/* binding */ reservedKeyProblem)
/* harmony export */ });
/* unused harmony exports Fields, extendsChain */
/* harmony import */ var _durations_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4178);
/* harmony import */ var _model_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7206);
/**
 * Merging one stage: defaults ← its ancestors (extends) ← the stage ← the action's inputs, with a
 * note of where each value was written so that messages point there. Also the extends check.
 */


function isPlain(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Keys that name an object's machinery in JavaScript: refused as stage names, extends targets and keys. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
function isReservedKey(key) {
    return RESERVED_KEYS.has(key);
}
/** `"__proto__" is a reserved name ...`, for a key written where a name goes. */
function reservedKeyProblem(key) {
    return `${JSON.stringify(key)} is a reserved name (__proto__, constructor and prototype cannot be used as names)`;
}
/** At most this many names in a list in a message; the rest are counted. */
const LISTED_NAMES = 5;
/** A name longer than this is cut short in a message. */
const NAME_EXCERPT = 60;
/** A name from the file for a message: cut short when long. */
function excerpt(name, max = NAME_EXCERPT) {
    return name.length > max ? `${name.slice(0, max - 3)}...` : name;
}
/** `a, b, c, d, e and 1995 more`. */
function listNames(names, separator = ', ') {
    if (names.length === 0)
        return 'none';
    const shown = names.slice(0, LISTED_NAMES).map((name) => excerpt(name));
    const more = names.length - shown.length;
    return more > 0 ? `${shown.join(separator)} and ${more} more` : shown.join(separator);
}
const originKey = (path) => path.join('\u0000');
/** `preview` is the stage's own (resolve.ts reads it from the stage's block): never merged nor inherited. */
const OMIT_EXTENDS = new Set(['extends', 'preview']);
/** A function's merge leaves out `functions` (its own blocks are merged in their place). */
const OMIT_FUNCTIONS = new Set(['extends', 'functions', 'preview']);
/**
 * Settings that are alternatives of each other: one function or several, one region or several.
 * The nearer one wins (a stage's `function` replaces an inherited `functions`, and the other way
 * round); both in one block is refused.
 */
const ALTERNATIVES = {
    function: 'functions',
    functions: 'function',
    region: 'regions',
    regions: 'region',
};
const ALTERNATIVE_WHY = {
    functions: 'one function, or a map of several: keep one',
    regions: 'one region, or a list of several: keep one',
};
/** Both of a pair of alternatives written in one block: refused, naming both. */
function refuseAlternatives(source, origin) {
    if (origin.kind !== 'file')
        return;
    for (const several of ['functions', 'regions']) {
        const one = ALTERNATIVES[several] ?? '';
        if (source[several] !== undefined && source[one] !== undefined) {
            throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`${joinField(origin.prefix, [several])}: cannot be set together with ${joinField(origin.prefix, [one])} (${ALTERNATIVE_WHY[several] ?? ''})`);
        }
    }
}
/** Forget `key` and everything under it, and where it was written. */
function forget(target, key, origins) {
    delete target[key];
    const at = originKey([key]);
    for (const name of [...origins.keys()])
        if (name === at || name.startsWith(`${at}\u0000`))
            origins.delete(name);
}
/** Deep merge: mappings merge key by key, lists and scalars replace. Never mutates `source`. */
function mergeInto(target, source, origin, origins, path = [], omit = OMIT_EXTENDS) {
    if (path.length === 0)
        refuseAlternatives(source, origin);
    for (const [key, value] of Object.entries(source)) {
        if (value === undefined || (path.length === 0 && omit.has(key)))
            continue;
        const alternative = path.length === 0 ? ALTERNATIVES[key] : undefined;
        if (alternative !== undefined)
            forget(target, alternative, origins);
        // parseStagesFile refuses these; a merge must never write through them onto a prototype.
        if (isReservedKey(key)) {
            const field = origin.kind === 'file' ? joinField(origin.prefix, [...path, key]) : origin.name;
            throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`${field}: ${reservedKeyProblem(key)}`);
        }
        const at = [...path, key];
        origins.set(originKey(at), origin);
        if (isPlain(value)) {
            const existing = target[key];
            const next = isPlain(existing) ? existing : {};
            target[key] = next;
            mergeInto(next, value, origin, origins, at);
        }
        else {
            target[key] = Array.isArray(value) ? [...value] : value;
        }
    }
}
/** The names of the merged values, for messages. */
class Fields {
    origins;
    fallback;
    constructor(origins, fallback) {
        this.origins = origins;
        this.fallback = fallback;
    }
    /** Where the value at `path` was written: `stages.dev.smoke.url`, `defaults.region`, or an input name. */
    name(path, shown = path) {
        const exact = this.origins.get(originKey(path));
        if (exact?.kind === 'input')
            return exact.name;
        for (let n = path.length; n > 0; n--) {
            const origin = this.origins.get(originKey(path.slice(0, n)));
            if (origin?.kind === 'file')
                return joinField(origin.prefix, shown);
        }
        return joinField(this.fallback, shown);
    }
    /** Throw `<field>: <value> <problem>`. */
    fail(path, value, problem) {
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`${this.name(path)}: ${(0,_durations_js__WEBPACK_IMPORTED_MODULE_0__/* .describeValue */ .bp)(value)} ${problem}`);
    }
    /** Where `value` was written (at `path`), for a setting's check. */
    at(path, value) {
        return { name: () => this.name(path), fail: (problem) => this.fail(path, value, problem) };
    }
    /** `value`, written at `path`, through `check`: its messages name where the value was written. */
    check(path, value, check) {
        return check(value, this.at(path, value));
    }
}
/** `smoke.headers.x-a`, `alarms[1]`. */
function renderPath(path) {
    let out = '';
    for (const segment of path) {
        if (typeof segment === 'number')
            out += `[${segment}]`;
        else
            out += out === '' ? excerpt(segment) : `.${excerpt(segment)}`;
    }
    return out;
}
function joinField(prefix, path) {
    const rest = renderPath(path);
    if (!prefix)
        return rest;
    const head = excerpt(prefix, NAME_EXCERPT + 'stages.'.length);
    return rest.startsWith('[') ? `${head}${rest}` : `${head}.${rest}`;
}
/** The stage and its ancestors, nearest first: `[prod, dev]` when prod extends dev. */
function extendsChain(file, stage, fileName) {
    const chain = [stage];
    const position = new Map([[stage, 0]]);
    let current = stage;
    for (;;) {
        const parent = parentOf(file, current, fileName);
        if (parent === undefined)
            return chain;
        const seen = position.get(parent);
        if (seen !== undefined)
            throw cycleError(current, parent, [...chain.slice(seen), parent]);
        position.set(parent, chain.length);
        chain.push(parent);
        current = parent;
    }
}
/**
 * Check every stage's extends (defined, no cycle) in time linear in the number of stages: each
 * stage is walked once, a walk stopping at a stage already known good. The first stage (in file
 * order) whose chain is broken gets the message extendsChain gives for it (a missing parent is
 * named from the stage that extends it, whichever stage the walk started from).
 */
function checkExtends(file, fileName) {
    const good = new Set();
    for (const stage of Object.keys(file.stages)) {
        const path = [];
        const onPath = new Set();
        let current = stage;
        while (current !== undefined && !good.has(current)) {
            if (onPath.has(current)) {
                extendsChain(file, stage, fileName); // throws the cycle message
                break;
            }
            onPath.add(current);
            path.push(current);
            current = parentOf(file, current, fileName);
        }
        for (const name of path)
            good.add(name);
    }
}
/** The stage `current` extends, if any; a parent that is not defined (or a reserved name) is an InputError. */
function parentOf(file, current, fileName) {
    const parent = Object.hasOwn(file.stages, current) ? file.stages[current]?.extends : undefined;
    if (parent === undefined)
        return undefined;
    if (isReservedKey(parent))
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`stages.${excerpt(current)}.extends: ${reservedKeyProblem(parent)}`);
    if (!Object.hasOwn(file.stages, parent)) {
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`stages.${excerpt(current)}.extends: ${JSON.stringify(excerpt(parent))} is not defined in ${fileName} (stages: ${stageList(file)})`);
    }
    return parent;
}
function cycleError(current, parent, cycle) {
    // A long cycle shows its first names and how many more, then where it closes.
    const shown = cycle.length > LISTED_NAMES + 1
        ? `${cycle.slice(0, LISTED_NAMES).map((name) => excerpt(name)).join(' → ')} → … ${cycle.length - LISTED_NAMES - 1} more → ${excerpt(parent)}`
        : cycle.map((name) => excerpt(name)).join(' → ');
    return new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`stages.${excerpt(current)}.extends: ${JSON.stringify(excerpt(parent))} makes a cycle (${shown})`);
}
function stageList(file) {
    return listNames(Object.keys(file.stages));
}
/**
 * Merge `stage` (trimmed, not empty): the file's defaults, ancestors and stage block when there
 * is a file, then the inputs that are set.
 *
 * With `unit` (a key of the stage's `functions`), the merge is that function's: the stage's own
 * settings as above (without `functions`), then the function's blocks under `functions` in the
 * same order (defaults, ancestors, the stage), then the inputs; its `function` is `unit`.
 */
function mergeStage(file, fileName, stage, inputs, unit) {
    const merged = {};
    const origins = new Map();
    const own = [`stages.${stage}`];
    if (file) {
        if (!Object.hasOwn(file.stages, stage)) {
            if (isReservedKey(stage))
                throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`stage: ${reservedKeyProblem(stage)}`);
            throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`stage: ${JSON.stringify(excerpt(stage))} is not defined in ${fileName} (stages: ${stageList(file)})`);
        }
        const chain = extendsChain(file, stage, fileName).reverse();
        const omit = unit === undefined ? OMIT_EXTENDS : OMIT_FUNCTIONS;
        mergeInto(merged, file.defaults, { kind: 'file', prefix: 'defaults' }, origins, [], omit);
        for (const name of chain) {
            mergeInto(merged, file.stages[name] ?? {}, { kind: 'file', prefix: `stages.${name}` }, origins, [], omit);
        }
        if (unit !== undefined) {
            const blocks = [
                ['defaults', ownBlock(file.defaults.functions, unit)],
                ...chain.map((name) => [`stages.${name}`, ownBlock(file.stages[name]?.functions, unit)]),
            ];
            for (const [prefix, block] of blocks) {
                if (block === undefined)
                    continue;
                mergeInto(merged, block, { kind: 'file', prefix: joinField(prefix, ['functions', unit]) }, origins);
            }
            own.push(joinField(`stages.${stage}`, ['functions', unit]));
        }
        // An alias names one stage's release: it is never inherited (prod `extends: dev` must not
        // move dev's alias). Only the stage's own block (or its own block for the function) or the
        // input sets it; else the stage name.
        const aliasOrigin = origins.get(originKey(['alias']));
        if (aliasOrigin?.kind === 'file' && !own.includes(aliasOrigin.prefix)) {
            delete merged.alias;
            origins.delete(originKey(['alias']));
        }
    }
    const overrides = cleanOverrides(inputs);
    if (!file && overrides.functionName === undefined) {
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`function-name: required when there is no stages file (add ${fileName} or set the function-name input)`);
    }
    const fields = new Fields(origins, file ? `stages.${stage}` : '');
    // The inputs override one function and one region: with several, say which setting to change.
    if (overrides.functionName !== undefined && merged.functions !== undefined) {
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`function-name: ${JSON.stringify(excerpt(overrides.functionName))} cannot be used with a stage that lists functions (${fields.name(['functions'])}); change the stages file instead`);
    }
    if (overrides.region !== undefined && merged.regions !== undefined) {
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(`region: ${JSON.stringify(excerpt(overrides.region))} cannot be used with a stage that lists regions (${fields.name(['regions'])}); change the stages file instead`);
    }
    const apply = (key, value, input) => {
        if (value === undefined)
            return;
        merged[key] = value;
        origins.set(originKey([key]), { kind: 'input', name: input });
    };
    apply('function', overrides.functionName, 'function-name');
    apply('alias', overrides.alias, 'alias');
    apply('region', overrides.region, 'region');
    apply('s3-bucket', overrides.s3Bucket, 's3-bucket');
    apply('log-level', overrides.logLevel, 'log-level');
    if (overrides.smokeUrl !== undefined) {
        if (!isPlain(merged.smoke)) {
            merged.smoke = {};
            origins.set(originKey(['smoke']), { kind: 'input', name: 'smoke-url' });
        }
        merged.smoke.url = overrides.smokeUrl;
        origins.set(originKey(['smoke', 'url']), { kind: 'input', name: 'smoke-url' });
    }
    if (unit !== undefined) {
        // The key under functions names the function; messages about it point at the functions map.
        merged.function = unit;
        origins.delete(originKey(['function']));
    }
    return { settings: merged, fields };
}
/** `map[key]` when the map has that key of its own (a function may be called `toString`). */
function ownBlock(map, key) {
    return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}
/** The inputs that are set: blank ones are not. */
function cleanOverrides(overrides) {
    const clean = (value) => {
        const trimmed = value?.trim();
        return trimmed ? trimmed : undefined;
    };
    const set = {};
    for (const key of ['functionName', 'alias', 'region', 's3Bucket', 'logLevel', 'smokeUrl']) {
        const value = clean(overrides[key]);
        if (value !== undefined)
            set[key] = value;
    }
    return set;
}


/***/ }),

/***/ 4640:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CU: () => (/* binding */ loadStagesFile),
/* harmony export */   Cu: () => (/* binding */ DEFAULT_CONFIG_FILE),
/* harmony export */   Cv: () => (/* binding */ listStages)
/* harmony export */ });
/* unused harmony exports MAX_STAGES_FILE_BYTES, parseStagesFile */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8815);
/* harmony import */ var _durations_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4178);
/* harmony import */ var _merge_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9327);
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5896);
/* harmony import */ var _model_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7206);
/**
 * Reading the stages file: YAML (or JSON) into a structurally valid StagesFile, with messages that
 * name the field and the value, and the key that was meant when one is misspelt.
 * Pure code apart from loadStagesFile, which reads the file from disk.
 */







/** The stages file read when the `config` input is not set. */
const DEFAULT_CONFIG_FILE = 'stage-deploy.yml';
/** The largest stages file read (1 MiB): a stages file is a few kilobytes; more is a mistake. */
const MAX_STAGES_FILE_BYTES = 1 << 20;
const READ_CHUNK_BYTES = 64 * 1024;
/** A message quoting what a parser said about the file keeps at most this many characters of it. */
const PARSER_MESSAGE_CHARS = 200;
/** Did-you-mean compares a misspelt key with at most this many known keys. */
const SUGGEST_CANDIDATES = 50;
const TOP_KEYS = ['defaults', 'stages'];
const SETTINGS_KEYS = [...Object.keys(_schema_js__WEBPACK_IMPORTED_MODULE_5__/* .SETTINGS */ .yy), ...Object.keys(_schema_js__WEBPACK_IMPORTED_MODULE_5__/* .UNIT_SETTINGS */ .h0)];
const FUNCTION_KEYS = Object.keys(_schema_js__WEBPACK_IMPORTED_MODULE_5__/* .FUNCTION_SETTINGS */ .bE);
const SMOKE_KEYS = Object.keys(_schema_js__WEBPACK_IMPORTED_MODULE_5__/* .SMOKE */ .oE);
const API_KEYS = Object.keys(_schema_js__WEBPACK_IMPORTED_MODULE_5__/* .API */ .nC);
/** Names people reach for that are spelled differently here. */
const SYNONYMS = {
    'function-name': 'function',
    name: 'function',
    env: 'environment',
    'env-vars': 'environment',
    variables: 'environment',
    memory: 'memory-size',
    retention: 'log-retention-days',
    'retention-days': 'log-retention-days',
    'log-retention': 'log-retention-days',
    bucket: 's3-bucket',
    prefix: 's3-prefix',
    inherit: 'extends',
    inherits: 'extends',
    extend: 'extends',
    retries: 'attempts',
    tries: 'attempts',
    status: 'expect-status',
    'status-code': 'expect-status',
    delay: 'interval',
    wait: 'interval',
};
/** Parse and validate the text of a stages file (YAML or JSON). `fileName` is used in messages. */
function parseStagesFile(text, fileName) {
    const raw = readYaml(text.replace(/^\uFEFF/, ''), fileName);
    refuseReservedKeys(raw);
    const result = _schema_js__WEBPACK_IMPORTED_MODULE_5__/* .fileSchema */ .Mz.safeParse(raw ?? {});
    if (!result.success) {
        // Only the first problem is put into words; the others are counted (a file with thousands of
        // bad stages costs one message, not thousands of did-you-means).
        const issues = result.error.issues;
        const total = issues.reduce((n, issue) => n + (issue.code === 'unrecognized_keys' ? issue.keys.length : 1), 0);
        let first;
        for (const issue of issues) {
            first = issueMessages(issue, raw, fileName, 1)[0];
            if (first !== undefined)
                break;
        }
        const more = total - 1;
        first ??= `${fileName}: not a valid stages file`;
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(more > 0 ? `${first} (and ${more} more problem${more === 1 ? '' : 's'})` : first);
    }
    const file = { defaults: result.data.defaults, stages: result.data.stages };
    (0,_merge_js__WEBPACK_IMPORTED_MODULE_4__/* .checkExtends */ .oj)(file, fileName);
    return file;
}
/**
 * `__proto__`, `constructor` and `prototype` as a key anywhere in the file (a stage name, an
 * environment variable, a header) are refused by name: a parser drops `__proto__` without a word,
 * and a merge through it would write onto Object.prototype.
 */
function refuseReservedKeys(raw) {
    const seen = new Set();
    const stack = [{ value: raw, path: [] }];
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
        const { value, path } = item;
        if (value === null || typeof value !== 'object' || seen.has(value))
            continue;
        seen.add(value);
        if (Array.isArray(value)) {
            value.forEach((element, i) => stack.push({ value: element, path: [...path, i] }));
            continue;
        }
        for (const key of Object.keys(value)) {
            if ((0,_merge_js__WEBPACK_IMPORTED_MODULE_4__/* .isReservedKey */ .IN)(key)) {
                throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`${(0,_merge_js__WEBPACK_IMPORTED_MODULE_4__/* .renderPath */ .i7)([...path, key])}: ${(0,_merge_js__WEBPACK_IMPORTED_MODULE_4__/* .reservedKeyProblem */ .vg)(key)}`);
            }
            stack.push({ value: value[key], path: [...path, key] });
        }
    }
}
/** The stage names in the file, in the order written. */
function listStages(file) {
    return Object.keys(file.stages);
}
/**
 * Read the stages file. A file that does not exist is `undefined` unless `required` (the user
 * named `config` explicitly), then it is an InputError. Only a regular file up to
 * MAX_STAGES_FILE_BYTES is read: a FIFO, a device or a directory is refused without being opened
 * for reading (a FIFO would block, `/dev/zero` would never end), and the opened handle is checked
 * again, so a file swapped for something else in between is refused too.
 */
async function loadStagesFile(path, required, shownAs = path) {
    const named = `config: ${JSON.stringify(shownAs)}`;
    const cannotRead = (error) => {
        const code = error.code;
        return new _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`${named} cannot be read (${code ?? String(error)})`);
    };
    try {
        refuseNonFile(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path), named);
    }
    catch (error) {
        if (error instanceof _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz)
            throw error;
        const code = error.code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
            if (!required)
                return undefined;
            throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`${named} does not exist`);
        }
        throw cannotRead(error);
    }
    let text;
    // O_NONBLOCK: should a FIFO be put in the file's place after the check, opening it does not wait.
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | (node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK ?? 0)).catch((error) => {
        throw cannotRead(error);
    });
    try {
        refuseNonFile(await handle.stat(), named);
        // At most one byte over the cap is read, whatever the size said (a file can grow).
        const chunks = [];
        let length = 0;
        while (length <= MAX_STAGES_FILE_BYTES) {
            const chunk = Buffer.alloc(Math.min(READ_CHUNK_BYTES, MAX_STAGES_FILE_BYTES + 1 - length));
            const { bytesRead } = await handle.read(chunk, 0, chunk.length, length);
            if (bytesRead === 0)
                break;
            chunks.push(chunk.subarray(0, bytesRead));
            length += bytesRead;
        }
        if (length > MAX_STAGES_FILE_BYTES)
            throw tooBig(named);
        text = Buffer.concat(chunks, length).toString('utf8');
    }
    catch (error) {
        if (error instanceof _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz)
            throw error;
        throw cannotRead(error);
    }
    finally {
        await handle.close();
    }
    return parseStagesFile(text, shownAs);
}
function refuseNonFile(stats, named) {
    if (stats.isDirectory())
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`${named} is a directory, not a stages file`);
    if (!stats.isFile())
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`${named} is not a regular file (a FIFO, socket or device is not read)`);
    if (stats.size > MAX_STAGES_FILE_BYTES)
        throw tooBig(named);
}
function tooBig(named) {
    return new _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`${named} is larger than ${MAX_STAGES_FILE_BYTES / (1 << 20)} MiB, too large for a stages file`);
}
function readYaml(text, fileName) {
    // uniqueKeys off: the parser's own check scans every earlier key of a mapping for each key
    // (quadratic in the number of stages); duplicateKey does the same check with a set.
    const lineCounter = new yaml__WEBPACK_IMPORTED_MODULE_2__/* .LineCounter */ .HN();
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parseDocument */ .Tp)(text, { merge: true, uniqueKeys: false, lineCounter });
    const parseError = doc.errors[0];
    const duplicate = duplicateKey(doc, lineCounter);
    const error = parseError && (!duplicate || parseError.pos[0] <= duplicate.offset) ? parseError : duplicate;
    if (error) {
        const trimmed = text.trim();
        // JSON.parse keeps the last of two equal keys without a word: a key written twice (a function
        // listed twice) is refused, JSON or not.
        if (error !== duplicate && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
            try {
                return JSON.parse(trimmed);
            }
            catch {
                // Not JSON either: report what YAML said.
            }
        }
        // The parser's words can quote the file (an alias, a tag): keep them short.
        const message = (0,_merge_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)((error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, ''), PARSER_MESSAGE_CHARS);
        const where = error.linePos?.[0];
        const at = where ? ` at line ${where.line}, column ${where.col}` : '';
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`${fileName}: YAML syntax error${at}: ${message}`);
    }
    try {
        return doc.toJS();
    }
    catch (err) {
        throw new _model_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`${fileName}: ${(0,_merge_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(err.message.split('\n')[0] ?? 'cannot be read as YAML', PARSER_MESSAGE_CHARS)}`);
    }
}
/** The issue's messages (one per unknown key), at most `limit` of them. */
/** The first key (in the text) written twice in one mapping, as the parser reports one. */
function duplicateKey(doc, lineCounter) {
    let first;
    (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .visit */ .YR)(doc, {
        Map(_key, map) {
            const seen = new Set();
            for (const pair of map.items) {
                if (!(0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(pair.key))
                    continue;
                const start = pair.key.range?.[0];
                if (seen.has(pair.key.value) && start !== undefined && (first === undefined || start < first))
                    first = start;
                seen.add(pair.key.value);
            }
        },
    });
    return first === undefined ? undefined : { message: 'Map keys must be unique', offset: first, linePos: [lineCounter.linePos(first)] };
}
function issueMessages(issue, raw, fileName, limit = Infinity) {
    const path = issue.path.filter((p) => typeof p === 'string' || typeof p === 'number');
    if (issue.code === 'unrecognized_keys') {
        // At the top of the file, name the file: `stage:` alone would read like the `stage` input.
        return issue.keys.slice(0, limit).map((key) => path.length === 0
            ? `${fileName}: ${JSON.stringify((0,_merge_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(key))} is an ${unknownKeyHint(path, key)}`
            : `${(0,_merge_js__WEBPACK_IMPORTED_MODULE_4__/* .renderPath */ .i7)([...path, key])}: ${unknownKeyHint(path, key)}`);
    }
    const field = path.length > 0 ? (0,_merge_js__WEBPACK_IMPORTED_MODULE_4__/* .renderPath */ .i7)(path) : fileName;
    const value = valueAt(raw, path);
    const what = issue.message.startsWith('Invalid') ? 'valid here' : issue.message;
    return [`${field}: ${(0,_durations_js__WEBPACK_IMPORTED_MODULE_3__/* .describeValue */ .bp)(value)} is not ${what}`];
}
function unknownKeyHint(path, key) {
    const known = knownKeysAt(path);
    if (key === 'extends' && path.length === 1 && path[0] === 'defaults') {
        return 'unknown key (extends belongs inside a stage, under stages)';
    }
    const inFunction = isFunctionBlock(path);
    if (inFunction && Object.hasOwn(_schema_js__WEBPACK_IMPORTED_MODULE_5__/* .NOT_IN_FUNCTION */ .XL, key))
        return `not allowed in a function's block (${_schema_js__WEBPACK_IMPORTED_MODULE_5__/* .NOT_IN_FUNCTION */ .XL[key]})`;
    if (!inFunction && key === 'artifact' && isSettingsBlock(path)) {
        return "unknown key (artifact belongs in a function's block under functions; for one function, use the artifact input)";
    }
    const suggestion = suggest(key, known);
    return suggestion ? `unknown key (did you mean "${suggestion}"?)` : `unknown key (known keys: ${known.join(', ')})`;
}
/** `defaults` or `stages.<name>`. */
function isSettingsBlock(path) {
    return (path.length === 1 && path[0] === 'defaults') || (path.length === 2 && path[0] === 'stages');
}
/** `defaults.functions.<name>` or `stages.<name>.functions.<name>`. */
function isFunctionBlock(path) {
    const at = functionBlockDepth(path);
    return at !== undefined && path.length === at;
}
/** How deep a function's block under `path` is, when `path` is in one. */
function functionBlockDepth(path) {
    if (path[0] === 'defaults' && path[1] === 'functions' && path.length >= 3)
        return 3;
    if (path[0] === 'stages' && path[2] === 'functions' && path.length >= 4)
        return 4;
    return undefined;
}
function knownKeysAt(path) {
    const [top, second, third] = path;
    const depth = path.length;
    if (depth === 0)
        return TOP_KEYS;
    const inFunction = functionBlockDepth(path);
    if (inFunction !== undefined) {
        if (depth === inFunction)
            return FUNCTION_KEYS;
        const under = path[inFunction];
        if (depth === inFunction + 1 && under === 'smoke')
            return SMOKE_KEYS;
        if (depth === inFunction + 1 && under === 'api')
            return API_KEYS;
        return [];
    }
    if (top === 'defaults') {
        if (depth === 1)
            return SETTINGS_KEYS;
        if (second === 'smoke')
            return SMOKE_KEYS;
        if (second === 'api')
            return API_KEYS;
    }
    if (top === 'stages') {
        if (depth === 2)
            return [...SETTINGS_KEYS, 'extends'];
        if (third === 'smoke')
            return SMOKE_KEYS;
        if (third === 'api')
            return API_KEYS;
    }
    return [];
}
/** The known key a misspelt one most likely meant, if any is close. */
function suggest(key, known) {
    const normal = key
        .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
        .replace(/[_\s]+/g, '-')
        .toLowerCase();
    if (known.includes(normal))
        return normal;
    const synonym = SYNONYMS[normal];
    if (synonym && known.includes(synonym))
        return synonym;
    const limit = Math.max(1, Math.floor(Math.max(normal.length, 3) / 3));
    let best;
    let bestDistance = Infinity;
    for (const candidate of known.slice(0, SUGGEST_CANDIDATES)) {
        // The distance is at least the difference in length: skip what cannot be close enough.
        if (Math.abs(candidate.length - normal.length) > limit)
            continue;
        const distance = levenshtein(normal, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return bestDistance <= limit ? best : undefined;
}
function levenshtein(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
        }
        previous = current;
    }
    return previous[b.length] ?? 0;
}
function valueAt(root, path) {
    let value = root;
    for (const segment of path) {
        if (value === null || typeof value !== 'object')
            return undefined;
        value = value[segment];
    }
    return value;
}


/***/ }),

/***/ 4727:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rQ: () => (/* binding */ resolveStage),
  g0: () => (/* binding */ resolveStageUnits)
});

// UNUSED EXPORTS: previewAlias

// EXTERNAL MODULE: ./src/stages/durations.ts
var durations = __webpack_require__(4178);
// EXTERNAL MODULE: ./src/stages/merge.ts
var merge = __webpack_require__(9327);
// EXTERNAL MODULE: ./src/stages/parse.ts
var parse = __webpack_require__(4640);
// EXTERNAL MODULE: ./src/stages/schema.ts
var schema = __webpack_require__(5896);
// EXTERNAL MODULE: ./src/checks/body-regex.ts
var body_regex = __webpack_require__(927);
// EXTERNAL MODULE: ./src/model/errors.ts
var errors = __webpack_require__(7206);
// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
;// CONCATENATED MODULE: ./src/stages/values.ts
/**
 * The checks of values that are more than a setting's range: the traffic strategy, the error
 * rate, alarm names, the smoke URL, the expected status and body, variable names and the
 * variables Lambda reserves, header names and `${VAR}` in header values.
 */






const ENV_NAME_RE = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_ENV = new Set([
    '_HANDLER',
    '_X_AMZN_TRACE_ID',
    'AWS_DEFAULT_REGION',
    'AWS_REGION',
    'AWS_EXECUTION_ENV',
    'AWS_LAMBDA_FUNCTION_NAME',
    'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
    'AWS_LAMBDA_FUNCTION_VERSION',
    'AWS_LAMBDA_INITIALIZATION_TYPE',
    'AWS_LAMBDA_LOG_GROUP_NAME',
    'AWS_LAMBDA_LOG_STREAM_NAME',
    'AWS_ACCESS_KEY',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_LAMBDA_RUNTIME_API',
    'LAMBDA_TASK_ROOT',
    'LAMBDA_RUNTIME_DIR',
]);
/** `all-at-once`, `canary 10% 5m` or `linear 10% every 1m`. */
function parseTraffic(value, at) {
    const text = value.trim();
    const fail = (why) => at.fail(why ? `is not a traffic strategy (${why})` : `is not ${schema/* TRAFFIC_HINT */.w8}`);
    if (/^all-at-once$/i.test(text))
        return { kind: 'all-at-once' };
    const canary = /^canary\s+(\d+(?:\.\d+)?)\s*%\s+(\S+)$/i.exec(text);
    const linear = /^linear\s+(\d+(?:\.\d+)?)\s*%\s+every\s+(\S+)$/i.exec(text);
    const match = canary ?? linear;
    if (!match)
        return fail();
    const percent = Number(match[1]);
    let ms;
    try {
        ms = (0,durations/* parseDuration */.E9)(match[2], 'traffic');
    }
    catch {
        return fail();
    }
    if (ms <= 0)
        return fail('the wait must be longer than 0s');
    if (ms > schema/* MAX_WAIT_MS */.um)
        return fail(`the wait must be at most ${(0,format/* formatDuration */.a3)(schema/* MAX_WAIT_MS */.um)}`);
    if (canary) {
        if (percent < 1 || percent > 99)
            return fail('the canary percent must be from 1 to 99');
        return { kind: 'canary', percent, waitMs: ms };
    }
    if (percent < 1 || percent > 100)
        return fail('the linear step must be from 1 to 100 percent');
    return { kind: 'linear', percent, intervalMs: ms };
}
/** A fraction from `1%` or `0.01`. */
function parseErrorRate(value, at) {
    let rate;
    if (typeof value === 'number') {
        rate = value;
    }
    else {
        const text = value.trim();
        const percent = /^(\d+(?:\.\d+)?|\.\d+)\s*%$/.exec(text);
        if (percent)
            rate = Number(percent[1]) / 100;
        else if (/^(\d+(?:\.\d+)?|\.\d+)$/.test(text))
            rate = Number(text);
    }
    if (rate === undefined || !Number.isFinite(rate) || rate < 0 || rate > 1) {
        return at.fail(`is not ${schema/* ERROR_RATE_HINT */.An}`);
    }
    return rate;
}
/** One alarm name or a list of them, none empty; trimmed. */
function alarmNames(alarms, fields) {
    const list = typeof alarms === 'string' ? [alarms] : alarms;
    list.forEach((alarm, index) => {
        if (alarm.trim() === '') {
            const path = typeof alarms === 'string' ? ['alarms'] : ['alarms', index];
            throw new errors/* InputError */.dz(`${fields.name(['alarms'], path)}: "" is not an alarm name`);
        }
    });
    return list.map((alarm) => alarm.trim());
}
/** The function's variables: names a variable may have, and none that Lambda sets itself. */
function environmentVariables(environment, fields) {
    const variables = {};
    for (const [name, value] of Object.entries(environment)) {
        if ((0,merge/* isReservedKey */.IN)(name))
            throw new errors/* InputError */.dz(`${fields.name(['environment', name])}: ${(0,merge/* reservedKeyProblem */.vg)(name)}`);
        if (!ENV_NAME_RE.test(name)) {
            throw new errors/* InputError */.dz(`${fields.name(['environment', name], ['environment'])}: ${JSON.stringify(name)} is not a variable name (letters, digits and _, starting with a letter)`);
        }
        if (RESERVED_ENV.has(name)) {
            throw new errors/* InputError */.dz(`${fields.name(['environment', name])}: ${JSON.stringify(name)} is reserved by Lambda (it sets this variable itself)`);
        }
        variables[name] = value;
    }
    return variables;
}
/** Any C0 or C1 control character, or DEL: never in a URL the smoke test sends. */
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * The smoke URL, trimmed: http or https, with a host, no control characters (\r, \n, \t, \0,
 * any C0/C1) and no user:password (it would travel in the clear and land in every log line).
 * Messages show the value JSON-quoted, so a control character is never printed raw.
 */
function smokeUrl(value, at) {
    const url = value.trim();
    if (CONTROL_RE.test(value))
        return at.fail('is not a smoke URL (it contains a control character)');
    if (!isHttpUrl(url))
        return at.fail('is not an http(s) URL');
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') {
        return at.fail('is not a smoke URL (it has a user name or password: send credentials in smoke.headers from ${VAR})');
    }
    return url;
}
function isHttpUrl(text) {
    try {
        const url = new URL(text);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    }
    catch {
        return false;
    }
}
/**
 * The smoke headers, with `${VAR}` in their values taken from `env`; the values that came from
 * `env` are the secrets. With `keep`, a variable that is not set is left as written.
 */
function smokeHeaders(written, fields, env, unsetVariables) {
    const headers = {};
    const secrets = [];
    for (const [name, raw] of Object.entries(written)) {
        const path = ['smoke', 'headers', name];
        if (!HEADER_NAME_RE.test(name)) {
            throw new errors/* InputError */.dz(`${fields.name(path, ['smoke', 'headers'])}: ${JSON.stringify(name)} is not a header name`);
        }
        const value = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, variable) => {
            const found = env[variable];
            if ((found === undefined || found === '') && unsetVariables === 'keep')
                return whole;
            if (found === undefined || found === '') {
                throw new errors/* InputError */.dz(`${fields.name(path)}: \${${variable}} is not set in the step's environment`);
            }
            if (!secrets.includes(found))
                secrets.push(found);
            return found;
        });
        if (/[\r\n\0]/.test(value)) {
            throw new errors/* InputError */.dz(`${fields.name(path)}: a header value cannot contain a line break`);
        }
        headers[name] = value;
    }
    return { headers, secrets };
}
/** `200`, `"2xx"` or a list of them. */
function parseStatus(value, at) {
    const items = Array.isArray(value) ? value : [value];
    const codes = [];
    const classes = [];
    const shown = [];
    for (const item of items) {
        const text = String(item).trim();
        if (/^[1-5]xx$/i.test(text)) {
            const cls = Number(text[0]);
            if (!classes.includes(cls))
                classes.push(cls);
            shown.push(text.toLowerCase());
            continue;
        }
        const code = typeof item === 'number' ? item : /^\d{3}$/.test(text) ? Number(text) : NaN;
        if (!Number.isInteger(code) || code < 100 || code > 599)
            break;
        if (!codes.includes(code))
            codes.push(code);
        shown.push(String(code));
    }
    if (items.length === 0 || shown.length !== items.length) {
        return at.fail(`is not ${schema/* STATUS_HINT */.n1}`);
    }
    return { codes, classes, text: Array.isArray(value) ? `[${shown.join(', ')}]` : (shown[0] ?? '') };
}
/**
 * A substring, or `/regex/flags`; an empty string expects nothing. Regexes run on RE2 (re2js),
 * in time linear in the body: no backreferences, no lookaround; flags i, m and s only.
 */
function parseBody(value, at) {
    const regex = /^\/(.+)\/([a-z]*)$/s.exec(value);
    if (regex) {
        const source = regex[1] ?? '';
        const flags = regex[2] ?? '';
        const unknown = [...flags].filter((flag) => !Object.hasOwn(body_regex/* BODY_FLAGS */.bV, flag));
        if (unknown.length > 0) {
            return at.fail(`is not a valid regular expression (unsupported flag ${unknown.map((f) => JSON.stringify(f)).join(', ')}: use i, m or s)`);
        }
        try {
            (0,body_regex/* compileBodyRegex */.ZM)(source, flags);
        }
        catch (error) {
            const why = error.message.replace(/^error parsing regexp: /, '');
            return at.fail(`is not a valid regular expression (${why}; expect-body uses RE2: no backreferences or lookaround)`);
        }
        return { kind: 'regex', source, flags };
    }
    return value === '' ? undefined : { kind: 'substring', text: value };
}

// EXTERNAL MODULE: ./src/model/settings.ts
var settings = __webpack_require__(4692);
;// CONCATENATED MODULE: ./src/stages/resolve.ts
/**
 * Resolving one stage into StageSettings: merge it (merge.ts), then check every value, each
 * setting's range (schema.ts) and the rest (values.ts), in messages that name where it was written.
 */







/**
 * One stage, fully resolved and validated: defaults ← ancestors (extends) ← the stage ← inputs.
 * A stage with `functions` or `regions` gives its first unit (resolveStageUnits gives them all).
 */
function resolveStage(options) {
    const [first] = resolveStageUnits(options);
    if (first === undefined)
        throw new Error('a stage resolves to at least one unit');
    return first;
}
/**
 * Every unit of a stage (model/settings.ts StageUnit): one per function of `functions` (or the
 * one `function`) and per region of `regions` (or the one `region`), in the order written,
 * function by function: [a in r1, a in r2, b in r1, b in r2]. Each unit is the stage's settings
 * with the function's own block laid over them (then the inputs), its `functionName` the key
 * under `functions`, its `region` one of `regions`, its `s3Bucket` and `image` that region's, and
 * its `artifact` the function's own. A plain stage gives exactly one unit, as it always has.
 *
 * Bad input is refused here, before anything in AWS is read or changed: a function listed twice
 * (by name and by ARN), the artifact or image input with `functions`, function-name with
 * `functions`, region with `regions`, an artifact and an image for one function, a bucket or
 * image missing for a region, and (command deploy) a function without code.
 */
function resolveStageUnits(options) {
    const { file, env } = options;
    const fileName = options.fileName ?? parse/* DEFAULT_CONFIG_FILE */.Cu;
    const stage = options.stage.trim();
    if (stage === '')
        throw new errors/* InputError */.dz('stage: required (the name of a stage, such as dev or prod)');
    const unsetVariables = options.unsetVariables ?? 'error';
    const code = inputCode(options);
    const base = (0,merge/* mergeStage */.DI)(file, fileName, stage, options.overrides);
    const build = (merged, region) => buildSettings(merged.settings, stage, merged.fields, env, Boolean(file), unsetVariables, region);
    const { settings: s, fields } = base;
    const preview = previewOf(options, fileName, stage);
    if (preview !== undefined) {
        if (s.functions !== undefined || s.regions !== undefined) {
            const key = s.functions !== undefined ? 'functions' : 'regions';
            throw new errors/* InputError */.dz(`stages.${stage}.preview: cannot be used with ${fields.name([key])} (a preview is one function in one region)`);
        }
        if (s.alias !== undefined) {
            throw new errors/* InputError */.dz(`${fields.name(['alias'])}: ${(0,durations/* describeValue */.bp)(s.alias)} cannot be set for stage ${stage}, which has a preview block (stages.${stage}.preview.alias names each pull request's alias)`);
        }
        const settings = withInputCode(build(base), code, fields);
        settings.preview = preview;
        if (preview.pullRequest !== undefined)
            settings.alias = previewAlias(preview.aliasTemplate, preview.pullRequest);
        if (options.command === 'preview' && code.artifact === undefined && settings.image === undefined) {
            throw new errors/* InputError */.dz('artifact: required for command preview (a .zip file or a directory; or image: an ECR image URI)');
        }
        return [settings];
    }
    if (s.functions === undefined && s.regions === undefined) {
        const settings = withInputCode(build(base), code, fields);
        if (options.command === 'deploy' && code.artifact === undefined && settings.image === undefined) {
            throw new errors/* InputError */.dz('artifact: required for command deploy (a .zip file or a directory; or image: an ECR image URI)');
        }
        return [settings];
    }
    const names = s.functions === undefined ? undefined : functionNames(s.functions, fields);
    const regions = s.regions === undefined ? undefined : regionList(s.regions, fields);
    if (names !== undefined) {
        const functionsField = fields.name(['functions']);
        for (const [input, value] of [['artifact', code.artifact], ['image', code.image]]) {
            if (value !== undefined) {
                throw new errors/* InputError */.dz(`${input}: ${JSON.stringify((0,merge/* excerpt */.Kb)(value))} cannot be used with a stage that lists functions (${functionsField}): each function names its own artifact or image`);
            }
        }
        const smoke = options.overrides.smokeUrl?.trim();
        if (smoke && names.length > 1) {
            throw new errors/* InputError */.dz(`smoke-url: ${JSON.stringify((0,merge/* excerpt */.Kb)(smoke))} cannot be used with a stage that lists several functions (${functionsField}): set smoke.url for each function in the stages file`);
        }
    }
    const units = [];
    for (const name of names ?? [undefined]) {
        const merged = name === undefined ? base : (0,merge/* mergeStage */.DI)(file, fileName, stage, options.overrides, name);
        if (regions !== undefined && merged.settings.regions === undefined) {
            // Only the function's own block can have replaced the stage's regions with a region.
            throw new errors/* InputError */.dz(`${merged.fields.name(['region'])}: ${(0,durations/* describeValue */.bp)(merged.settings.region)} cannot be set when the stage lists regions (${fields.name(['regions'])}): every function is released in every region`);
        }
        for (const region of regions ?? [undefined]) {
            const bucket = merged.settings['s3-bucket'];
            if (typeof bucket === 'string' && regions !== undefined && regions.length > 1) {
                throw new errors/* InputError */.dz(`${merged.fields.name(['s3-bucket'])}: ${(0,durations/* describeValue */.bp)(bucket)} is one bucket for ${regions.length} regions ` +
                    `(S3 code must be in the function's region: use a mapping, {${regions.slice(0, 2).map((r) => `${r}: <bucket>`).join(', ')}})`);
            }
            const unit = build(merged, region);
            if (name !== undefined) {
                unit.functionField = fields.name(['functions']);
                refuseArnElsewhere(name, unit.region, fields);
                const artifact = merged.settings.artifact;
                if (artifact !== undefined)
                    unit.artifact = merged.fields.check(['artifact'], artifact, schema/* FUNCTION_SETTINGS */.bE.artifact.check);
                if (unit.artifact !== undefined && unit.image !== undefined) {
                    throw new errors/* InputError */.dz(`${merged.fields.name(['image'])}: ${(0,durations/* describeValue */.bp)(unit.image)} cannot be used with ${merged.fields.name(['artifact'])} ` +
                        "(a function's code is a .zip or an image, not both)");
                }
            }
            units.push(names === undefined ? withInputCode(unit, code, fields, region !== undefined) : unit);
        }
    }
    if (options.command === 'deploy') {
        if (names === undefined) {
            if (code.artifact === undefined && units.some((unit) => unit.image === undefined)) {
                throw new errors/* InputError */.dz('artifact: required for command deploy (a .zip file or a directory; or image: an ECR image URI)');
            }
        }
        else {
            const missing = [...new Set(units.filter((unit) => unit.artifact === undefined && unit.image === undefined).map((unit) => unit.functionName))];
            if (missing.length > 0) {
                throw new errors/* InputError */.dz(`${fields.name(['functions'])}: ${(0,merge/* listNames */.Zv)(missing)} ${missing.length === 1 ? 'has' : 'have'} no artifact or image ` +
                    "(a deploy needs each function's code: set artifact or image in its block)");
            }
        }
    }
    return units;
}
/** The `artifact` and `image` inputs that are set (trimmed); both at once is refused. */
function inputCode(options) {
    const artifact = options.artifact?.trim() || undefined;
    const image = options.image?.trim() || undefined;
    if (artifact !== undefined && image !== undefined) {
        throw new errors/* InputError */.dz(`image: ${JSON.stringify((0,merge/* excerpt */.Kb)(image))} cannot be used with the artifact input (a function's code is a .zip or an image, not both)`);
    }
    return { ...(artifact !== undefined && { artifact }), ...(image !== undefined && { image }) };
}
/** One function's settings with the `image` input over the stage's image; the `artifact` input and a stage's image are refused together. */
function withInputCode(settings, code, fields, spread = false) {
    if (code.image !== undefined) {
        const at = inputAt('image', code.image);
        return { ...settings, image: imageIn((0,schema/* imageUri */.W_)(code.image, at), settings.region, at, spread) };
    }
    if (code.artifact !== undefined && settings.image !== undefined) {
        throw new errors/* InputError */.dz(`artifact: ${JSON.stringify((0,merge/* excerpt */.Kb)(code.artifact))} cannot be used with ${fields.name(['image'])} (a function's code is a .zip or an image, not both)`);
    }
    return settings;
}
/** An input's value, for a check's messages: `image: "…" is not …`. */
function inputAt(name, value) {
    return {
        name: () => name,
        fail: (problem) => {
            throw new errors/* InputError */.dz(`${name}: ${(0,durations/* describeValue */.bp)(value)} ${problem}`);
        },
    };
}
/** The keys of `functions`, checked like `function`; one function reached twice (by name and by ARN) is refused. */
function functionNames(functions, fields) {
    const names = Object.keys(functions);
    if (names.length === 0) {
        throw new errors/* InputError */.dz(`${fields.name(['functions'])}: {} lists no function (name at least one, or use function)`);
    }
    const seen = [];
    for (const key of names) {
        const at = {
            name: () => fields.name(['functions', key], ['functions']),
            fail: (problem) => {
                throw new errors/* InputError */.dz(`${fields.name(['functions', key], ['functions'])}: ${(0,durations/* describeValue */.bp)(key)} ${problem}`);
            },
        };
        schema/* SETTINGS */.yy.function.check(key, at);
        if (key !== key.trim())
            at.fail('is not a Lambda function name or ARN (it has spaces around it)');
        const id = functionId(key);
        const twin = seen.find((other) => sameFunction(other.id, id));
        if (twin !== undefined) {
            throw new errors/* InputError */.dz(`${fields.name(['functions', key], ['functions'])}: ${(0,durations/* describeValue */.bp)(key)} is listed twice (as ${(0,durations/* describeValue */.bp)(twin.key)} and ${(0,durations/* describeValue */.bp)(key)}): name each function once`);
        }
        seen.push({ key, id });
    }
    return names;
}
/** A function name or ARN (partial or full) taken apart. */
function functionId(key) {
    const arn = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:(.+)$/.exec(key);
    if (arn)
        return { region: arn[1] ?? '', account: arn[2] ?? '', name: arn[3] ?? '' };
    const partial = /^(\d{12}):function:(.+)$/.exec(key);
    if (partial)
        return { account: partial[1] ?? '', name: partial[2] ?? '' };
    return { name: key };
}
/** The same function, as far as the names tell: a part one leaves out (account, region) matches any. */
function sameFunction(a, b) {
    const agree = (x, y) => x === undefined || y === undefined || x === y;
    return a.name === b.name && agree(a.account, b.account) && agree(a.region, b.region);
}
/** A function named by a full ARN is in the ARN's region: a unit in another region is refused. */
function refuseArnElsewhere(key, region, fields) {
    const arnRegion = functionId(key).region;
    if (region === undefined || arnRegion === undefined || arnRegion === region)
        return;
    throw new errors/* InputError */.dz(`${fields.name(['functions', key], ['functions'])}: ${(0,durations/* describeValue */.bp)(key)} is a function in ${arnRegion}, not ${region} (with regions, name the function rather than its ARN)`);
}
/** `regions`: at least one, each a region, none twice. */
function regionList(regions, fields) {
    if (regions.length === 0)
        throw new errors/* InputError */.dz(`${fields.name(['regions'])}: [] lists no region (name at least one, or use region)`);
    const list = [];
    regions.forEach((written, index) => {
        const path = ['regions', index];
        const at = {
            name: () => fields.name(['regions'], path),
            fail: (problem) => {
                throw new errors/* InputError */.dz(`${fields.name(['regions'], path)}: ${(0,durations/* describeValue */.bp)(written)} ${problem}`);
            },
        };
        const region = (0,schema/* regionName */.gw)(written.trim(), at);
        if (list.includes(region))
            at.fail('is listed twice (name each region once)');
        list.push(region);
    });
    return list;
}
/**
 * A setting that is one value or one per region (`s3-bucket`, `image`): the value for `region`,
 * checked. Every key of a mapping must be a region and every value pass `check`.
 */
function regional(value, key, region, fields, check) {
    if (typeof value === 'string')
        return { value: fields.check([key], value, check), at: fields.at([key], value) };
    for (const [name, text] of Object.entries(value)) {
        const path = [key, name];
        (0,schema/* regionName */.gw)(name, {
            name: () => fields.name(path),
            fail: (problem) => {
                throw new errors/* InputError */.dz(`${fields.name(path, [key])}: ${(0,durations/* describeValue */.bp)(name)} ${problem}`);
            },
        });
        fields.check(path, text, check);
    }
    const what = key === 's3-bucket' ? 'bucket' : 'image URI';
    const why = key === 's3-bucket' ? "S3 code must be in the function's region" : "Lambda takes images only from the function's region";
    if (region === undefined) {
        throw new errors/* InputError */.dz(`${fields.name([key])}: a mapping of regions to ${what}s needs the function's region (set region or regions)`);
    }
    const picked = Object.hasOwn(value, region) ? value[region] : undefined;
    if (picked === undefined) {
        throw new errors/* InputError */.dz(`${fields.name([key])}: ${(0,durations/* describeValue */.bp)(value)} has no ${what} for region ${JSON.stringify(region)} (${why}: add ${region}: <${what}>)`);
    }
    return { value: fields.check([key, region], picked, check), at: fields.at([key, region], picked) };
}
/**
 * An image URI for a function in `region`: Lambda takes images only from the function's region.
 * With `spread` (one URI for each of the stage's `regions`), the URI names the same repository and
 * tag or digest in that region's registry, as ECR replication keeps them; else the registry must
 * be in that region.
 */
function imageIn(uri, region, at, spread = false) {
    const image = (0,schema/* parseImageUri */.f9)(uri);
    const registry = image?.region;
    if (spread && image !== undefined && region !== undefined && registry !== region) {
        return uri.replace(`.dkr.ecr.${image.region}.`, `.dkr.ecr.${region}.`);
    }
    if (region !== undefined && registry !== undefined && registry !== region) {
        return at.fail(`is in ${registry}'s registry, and the function is in ${region} (Lambda takes images only from the function's region)`);
    }
    return uri;
}
function buildSettings(s, stage, fields, env, hasFile, unsetVariables, 
/** One of the stage's `regions`, already checked; else the stage's `region`. */
unitRegion) {
    if (s.function === undefined) {
        throw new errors/* InputError */.dz(`${fields.name(['function'])}: required (set function under defaults or stages.${stage}, or the function-name input)`);
    }
    const functionName = fields.check(['function'], s.function, schema/* SETTINGS */.yy.function.check);
    // alias: the stage name unless set
    const alias = s.alias === undefined
        ? schema/* SETTINGS */.yy.alias.check(stage, stageNameAt(stage, hasFile))
        : fields.check(['alias'], s.alias, schema/* SETTINGS */.yy.alias.check);
    const settings = {
        stage,
        functionName,
        functionField: fields.name(['function']),
        alias,
        s3Prefix: s['s3-prefix'] ?? '',
        logFormat: 'json',
        environment: {},
        traffic: { kind: 'all-at-once' },
        alarms: [],
        bakeMs: 0,
    };
    if (unitRegion !== undefined)
        settings.region = unitRegion;
    else if (s.region !== undefined)
        settings.region = fields.check(['region'], s.region, schema/* SETTINGS */.yy.region.check);
    const bucket = s['s3-bucket'];
    if (bucket !== undefined)
        settings.s3Bucket = regional(bucket, 's3-bucket', settings.region, fields, schema/* bucketName */.EL).value;
    if (s.image !== undefined) {
        const image = regional(s.image, 'image', settings.region, fields, schema/* imageUri */.W_);
        settings.image = imageIn(image.value, settings.region, image.at, typeof s.image === 'string' && unitRegion !== undefined);
    }
    if (s.role !== undefined)
        settings.role = fields.check(['role'], s.role, schema/* SETTINGS */.yy.role.check);
    if (s.api !== undefined) {
        const id = s.api.id?.trim();
        const apiStage = s.api.stage?.trim();
        if (!id)
            throw new errors/* InputError */.dz(`${fields.name(['api', 'id'])}: required when api is set`);
        if (!apiStage)
            throw new errors/* InputError */.dz(`${fields.name(['api', 'stage'])}: required when api is set`);
        settings.api = { id, stage: apiStage };
    }
    // logging
    const level = s['log-level'];
    if (level !== undefined)
        settings.logLevel = fields.check(['log-level'], level, schema/* SETTINGS */.yy['log-level'].check);
    const format = s['log-format'];
    if (format !== undefined)
        settings.logFormat = fields.check(['log-format'], format, schema/* SETTINGS */.yy['log-format'].check);
    const days = s['log-retention-days'];
    if (days !== undefined) {
        settings.logRetentionDays = fields.check(['log-retention-days'], days, schema/* SETTINGS */.yy['log-retention-days'].check);
    }
    // function configuration
    settings.environment = environmentVariables(s.environment ?? {}, fields);
    const mb = s['memory-size'];
    if (mb !== undefined)
        settings.memorySize = fields.check(['memory-size'], mb, schema/* SETTINGS */.yy['memory-size'].check);
    if (s.timeout !== undefined)
        settings.timeoutSeconds = fields.check(['timeout'], s.timeout, schema/* SETTINGS */.yy.timeout.check);
    const keep = s['keep-versions'];
    if (keep !== undefined)
        settings.keepVersions = fields.check(['keep-versions'], keep, schema/* SETTINGS */.yy['keep-versions'].check);
    // release
    if (s.traffic !== undefined)
        settings.traffic = fields.check(['traffic'], s.traffic, parseTraffic);
    if (s.alarms !== undefined)
        settings.alarms = alarmNames(s.alarms, fields);
    const rate = s['max-error-rate'];
    if (rate !== undefined)
        settings.maxErrorRate = fields.check(['max-error-rate'], rate, parseErrorRate);
    if (s.bake !== undefined)
        settings.bakeMs = fields.check(['bake'], s.bake, schema/* SETTINGS */.yy.bake.check);
    if (s.smoke !== undefined)
        settings.smoke = buildSmoke(s.smoke, fields, env, unsetVariables);
    provisionedConcurrency(s, settings, fields);
    return settings;
}
/**
 * `provisioned-concurrency`, refused with canary or linear traffic: Lambda does not allow
 * provisioned concurrency on an alias with routing weights, and a weighted step would split
 * traffic between a warm version and a cold one (release/capacity.ts).
 */
function provisionedConcurrency(s, settings, fields) {
    const count = s['provisioned-concurrency'];
    if (count === undefined)
        return;
    settings.provisionedConcurrency = fields.check(['provisioned-concurrency'], count, schema/* SETTINGS */.yy['provisioned-concurrency'].check);
    if (settings.traffic.kind !== 'all-at-once') {
        throw new errors/* InputError */.dz(`${fields.name(['provisioned-concurrency'])}: ${count} cannot be used with ${fields.name(['traffic'])}: ${settings.traffic.kind} ` +
            '(provisioned concurrency needs all-at-once traffic: the new version is warmed to READY before the alias moves; use traffic: all-at-once or remove provisioned-concurrency)');
    }
}
/** The alias of pull request `number`: the template with `{number}` filled in. */
function previewAlias(template, number) {
    return template.replaceAll('{number}', String(number));
}
/**
 * The stage's own `preview` block, resolved, and the refusals that come before anything is read:
 * deploy, promote and rollback on a stage with `preview`; preview, remove and prune on a stage
 * without it; preview and remove without the pull request's number.
 */
function previewOf(options, fileName, stage) {
    const command = options.command;
    const block = options.file !== undefined && Object.hasOwn(options.file.stages, stage) ? options.file.stages[stage]?.preview : undefined;
    if (block === undefined) {
        if (command !== undefined && settings/* PREVIEW_COMMANDS */.mH.includes(command)) {
            throw new errors/* InputError */.dz(`command: ${command} needs a stage with a preview block, and stage ${JSON.stringify((0,merge/* excerpt */.Kb)(stage))} has none in ${fileName} (add preview: under stages.${(0,merge/* excerpt */.Kb)(stage)}, or use command deploy)`);
        }
        return undefined;
    }
    if (command === 'deploy' || command === 'promote' || command === 'rollback') {
        throw new errors/* InputError */.dz(`command: ${command} cannot be used on stage ${JSON.stringify(stage)}, which has a preview block (stages.${stage}.preview): use command preview, remove or prune`);
    }
    const at = (key, value) => {
        const field = `stages.${stage}.preview.${key}`;
        return {
            name: () => field,
            fail: (problem) => {
                throw new errors/* InputError */.dz(`${field}: ${(0,durations/* describeValue */.bp)(value)} ${problem}`);
            },
        };
    };
    const template = block.alias === undefined ? schema/* DEFAULT_PREVIEW_ALIAS */.uV : schema/* PREVIEW */.$y.alias.check(block.alias.trim(), at('alias', block.alias));
    const keepDays = block['keep-days'] === undefined ? schema/* DEFAULT_PREVIEW_KEEP_DAYS */.fG : schema/* PREVIEW */.$y['keep-days'].check(block['keep-days'], at('keep-days', block['keep-days']));
    const preview = { aliasTemplate: template, keepDays };
    if (block.url !== undefined)
        preview.url = schema/* PREVIEW */.$y.url.check(block.url, at('url.auth', block.url.auth));
    if (command === 'preview' || command === 'remove') {
        const number = options.pullRequest;
        if (number === undefined) {
            throw new errors/* InputError */.dz(`command: ${command} needs the pull request's number, from the event payload (GITHUB_EVENT_PATH: pull_request.number), and this run has none: run it on a pull_request event`);
        }
        if (!Number.isSafeInteger(number) || number < 1)
            throw new errors/* InputError */.dz(`pull request: ${(0,durations/* describeValue */.bp)(number)} is not a pull request number (a whole number, 1 or more)`);
        preview.pullRequest = number;
    }
    return preview;
}
/** For an alias that is the stage name because none is set: the message says so. */
function stageNameAt(stage, hasFile) {
    const field = hasFile ? `stages.${stage}.alias` : 'alias';
    return {
        name: () => field,
        fail: (problem) => {
            throw new errors/* InputError */.dz(`${field}: ${JSON.stringify(stage)} (the stage name) ${problem}; set alias`);
        },
    };
}
function buildSmoke(block, fields, env, unsetVariables) {
    // Without `url`, the alias's function URL is checked (empty here; filled in before any change).
    const url = block.url === undefined ? '' : fields.check(['smoke', 'url'], block.url, smokeUrl);
    const method = schema/* SMOKE */.oE.method.check(block.method ?? 'GET', fields.at(['smoke', 'method'], block.method));
    const { headers, secrets } = smokeHeaders(block.headers ?? {}, fields, env, unsetVariables);
    const smoke = { ...(0,settings/* defaultSmoke */.Bp)(url), method, headers, secrets, invoke: block.invoke ?? false };
    if (block.body !== undefined && block.body !== '') {
        if (method === 'GET' || method === 'HEAD') {
            throw new errors/* InputError */.dz(`${fields.name(['smoke', 'body'])}: a ${method} request cannot have a body (set method: POST)`);
        }
        smoke.body = block.body;
    }
    else if (block.body === '' && method !== 'GET' && method !== 'HEAD') {
        smoke.body = '';
    }
    const status = block['expect-status'];
    if (status !== undefined)
        smoke.expectStatus = fields.check(['smoke', 'expect-status'], status, parseStatus);
    const body = block['expect-body'];
    const expectBody = body === undefined ? undefined : fields.check(['smoke', 'expect-body'], body, parseBody);
    if (expectBody !== undefined)
        smoke.expectBody = expectBody;
    const { attempts, interval, timeout } = block;
    if (attempts !== undefined)
        smoke.attempts = fields.check(['smoke', 'attempts'], attempts, schema/* SMOKE */.oE.attempts.check);
    if (interval !== undefined)
        smoke.intervalMs = fields.check(['smoke', 'interval'], interval, schema/* SMOKE */.oE.interval.check);
    if (timeout !== undefined)
        smoke.timeoutMs = fields.check(['smoke', 'timeout'], timeout, schema/* SMOKE */.oE.timeout.check);
    return smoke;
}


/***/ }),

/***/ 5896:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $y: () => (/* binding */ PREVIEW),
/* harmony export */   An: () => (/* binding */ ERROR_RATE_HINT),
/* harmony export */   EL: () => (/* binding */ bucketName),
/* harmony export */   Mz: () => (/* binding */ fileSchema),
/* harmony export */   W_: () => (/* binding */ imageUri),
/* harmony export */   XL: () => (/* binding */ NOT_IN_FUNCTION),
/* harmony export */   bE: () => (/* binding */ FUNCTION_SETTINGS),
/* harmony export */   f9: () => (/* binding */ parseImageUri),
/* harmony export */   fG: () => (/* binding */ DEFAULT_PREVIEW_KEEP_DAYS),
/* harmony export */   gw: () => (/* binding */ regionName),
/* harmony export */   h0: () => (/* binding */ UNIT_SETTINGS),
/* harmony export */   n1: () => (/* binding */ STATUS_HINT),
/* harmony export */   nC: () => (/* binding */ API),
/* harmony export */   oE: () => (/* binding */ SMOKE),
/* harmony export */   uV: () => (/* binding */ DEFAULT_PREVIEW_ALIAS),
/* harmony export */   um: () => (/* binding */ MAX_WAIT_MS),
/* harmony export */   w8: () => (/* binding */ TRAFFIC_HINT),
/* harmony export */   yy: () => (/* binding */ SETTINGS)
/* harmony export */ });
/* unused harmony exports ROLE_HINT, IMAGE_HINT, MAX_SMOKE_ATTEMPTS, MAX_SMOKE_INTERVAL_MS, MAX_SMOKE_TIMEOUT_MS, MAX_PROVISIONED_CONCURRENCY */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8532);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9691);
/* harmony import */ var _durations_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4178);
/* harmony import */ var _model_lambda_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8738);
/* harmony import */ var _report_format_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2011);
/**
 * The schema of the stages file. Each setting is declared once, with its shape (checked by zod
 * when the file is parsed) next to its range (checked when a stage is resolved, once defaults,
 * extends and inputs are merged, so the message names where the value was written).
 * Every message is "<field>: <value> is not <what>".
 */




// zod's interpreter, not its JIT: by default zod compiles each object schema into a function
// (new Function) the first time it parses with it, which pays off over many parses in a long
// process. A run parses one stages file and ends: compiling costs more than it saves (a run that
// parses and resolves a stage and stops: about 10% less CPU, measured on Node 24), and code built
// at run time is one thing less to trust.
zod__WEBPACK_IMPORTED_MODULE_2__/* .config */ .$W({ jitless: true });
const DURATION_HINT = 'a duration (use 500ms, 2s or 5m)';
const STATUS_HINT = 'a status (use 200, [200, 204] or "2xx")';
const TRAFFIC_HINT = 'a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")';
const ERROR_RATE_HINT = 'an error rate (use 1% or 0.01)';
const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'TRACE', 'WARN', 'FATAL'];
const LOG_LEVEL_HINT = 'a log level (use DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, WARN or FATAL)';
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const FUNCTION_RE = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9_-]{1,64}$/;
const ALIAS_RE = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ALIAS_RULE = '(letters, digits, - and _, not only digits, at most 128 characters)';
/** An IAM role ARN (IAM identifiers: a path of `/`-separated segments, a name of up to 64 of `\w+=,.@-`). */
const ROLE_RE = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const ROLE_HINT = 'an IAM role ARN (like arn:aws:iam::210987654321:role/deployer)';
/**
 * An Amazon ECR image URI by tag or by digest. The repository name follows ECR's pattern
 * (CreateRepository: `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`, 2 to 256
 * characters), a tag Docker's (a word character, then up to 127 of `\w.-`). Lambda does not take
 * images from ECR's FIPS endpoints (`dkr.ecr-fips.`), so they are not accepted.
 */
const IMAGE_RE = /^(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?\/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(?::([\w][\w.-]{0,127})|@(sha256:[a-f0-9]{64}))$/;
const IMAGE_HINT = 'an ECR image URI (use <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<64 hex digits>)';
/** `uri` taken apart, or undefined when it is not an ECR image URI by tag or digest. */
function parseImageUri(uri) {
    const match = IMAGE_RE.exec(uri);
    if (!match)
        return undefined;
    const [, account = '', region = '', repository = '', tag, digest] = match;
    if (repository.length < 2 || repository.length > 256)
        return undefined;
    return { uri, account, region, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}
/** A setting; without `check`, its value is taken as written (or checked in values.ts). */
const setting = (shape, check = (value) => value) => ({ shape, check });
/** The zod shape of a table of settings, in the order written (the order of "known keys"). */
function shapes(settings) {
    return Object.fromEntries(Object.entries(settings).map(([key, { shape }]) => [key, shape]));
}
const str = (what = 'a string') => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP({ error: what });
const num = (what = 'a number') => zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig({ error: what });
/** Scalars become strings: `PORT: 8080` means "8080". */
const scalarText = zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig(), zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY()], { error: 'a string, number or boolean' })
    .transform((value) => String(value));
const durationValue = zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()], { error: DURATION_HINT });
/** Milliseconds; a value that is not a duration fails in parseDuration's words. */
const toMs = (value, at) => (0,_durations_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDuration */ .E9)(value, at.name());
/** The most smoke attempts: 20 × (5 min + 5 min) keeps the smoke phase under 3.5 hours. */
const MAX_SMOKE_ATTEMPTS = 20;
/** The longest wait between smoke attempts, and the longest smoke request. */
const MAX_SMOKE_INTERVAL_MS = 5 * 60_000;
const MAX_SMOKE_TIMEOUT_MS = 5 * 60_000;
/**
 * The longest bake and the longest canary wait or linear interval: a GitHub-hosted job ends at
 * 6 hours, and timers past 2^31-1 ms (about 24.8 days) would fire at once.
 */
const MAX_WAIT_MS = 6 * 3_600_000;
/** The most `provisioned-concurrency` accepted: Lambda's regional concurrency quota can be raised to tens of thousands. */
const MAX_PROVISIONED_CONCURRENCY = 100_000;
/** Milliseconds from `min` to `max`, with "<field>: <value> is not <what> (use …)" beyond. */
const durationWithin = (what, min, max, minExclusive = false) => (value, at) => {
    const ms = toMs(value, at);
    const low = minExclusive ? ms <= min : ms < min;
    if (low || ms > max) {
        const from = minExclusive ? `more than ${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(min)}` : `from ${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(min)}`;
        return at.fail(`is not ${what} (use ${from} up to ${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(max)})`);
    }
    return ms;
};
/** A whole number, 1 or more. */
const countOf = (what) => (count, at) => Number.isInteger(count) && count >= 1 ? count : at.fail(`is not ${what} (use a whole number, 1 or more)`);
const matching = (pattern, problem) => (text, at) => pattern.test(text) ? text : at.fail(problem);
/** The settings under `smoke`. The URL, headers, body, status and expected body are checked in values.ts. */
const SMOKE = {
    url: setting(str('an http(s) URL')),
    method: setting(str('an HTTP method'), (text, at) => {
        const method = text.trim().toUpperCase();
        if (HTTP_METHODS.includes(method))
            return method;
        return at.fail('is not an HTTP method (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)');
    }),
    headers: setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), scalarText, { error: 'a mapping of header names to values' })),
    body: setting(str()),
    'expect-status': setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()]))], { error: STATUS_HINT })),
    'expect-body': setting(str('a string (a substring, or /regex/)')),
    attempts: setting(num('a number of attempts'), (count, at) => Number.isInteger(count) && count >= 1 && count <= MAX_SMOKE_ATTEMPTS
        ? count
        : at.fail(`is not a number of attempts (use a whole number from 1 to ${MAX_SMOKE_ATTEMPTS})`)),
    interval: setting(durationValue, durationWithin('a wait between attempts', 0, MAX_SMOKE_INTERVAL_MS)),
    timeout: setting(durationValue, durationWithin('a request timeout', 0, MAX_SMOKE_TIMEOUT_MS, true)),
    invoke: setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY({ error: 'true or false' })),
};
/** The settings under `api`; both are required when api is set (checked when resolving). */
const API = { id: str('an API id'), stage: str('an API stage name') };
const smokeSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej(shapes(SMOKE), { error: 'a mapping' }).partial();
const apiSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej(API, { error: 'a mapping' }).partial();
/**
 * The settings of `defaults` and of each stage. Environment names, traffic, alarms and the error
 * rate are checked in values.ts.
 */
const SETTINGS = {
    function: setting(str('a function name or ARN'), (text, at) => {
        const name = text.trim();
        if (!name)
            return at.fail('is not a function name or ARN');
        return FUNCTION_RE.test(name) ? name : at.fail('is not a Lambda function name or ARN (without a version or alias)');
    }),
    region: setting(str('an AWS region'), matching(REGION_RE, 'is not an AWS region (like us-east-1)')),
    /** One bucket, or one per region (`{us-east-1: a, eu-west-1: b}`): S3 code must be in the function's region. */
    's3-bucket': setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP())], {
        error: 'an S3 bucket name, or a mapping of regions to bucket names',
    }), (value, at) => (typeof value === 'string' ? bucketName(value, at) : value)),
    's3-prefix': setting(str()),
    api: setting(apiSchema),
    alias: setting(str('an alias name'), (alias, at) => alias.length <= 128 && ALIAS_RE.test(alias) ? alias : at.fail(`is not a Lambda alias name ${ALIAS_RULE}`)),
    'log-level': setting(str(LOG_LEVEL_HINT), (text, at) => {
        const level = text.trim().toUpperCase();
        return LOG_LEVELS.includes(level) ? level : at.fail(`is not ${LOG_LEVEL_HINT}`);
    }),
    'log-retention-days': setting(num('a number of days'), (days, at) => _model_lambda_js__WEBPACK_IMPORTED_MODULE_4__/* .RETENTION_DAYS */ .zh.includes(days)
        ? days
        : at.fail(`is not a CloudWatch Logs retention (use one of ${_model_lambda_js__WEBPACK_IMPORTED_MODULE_4__/* .RETENTION_DAYS */ .zh.join(', ')})`)),
    'log-format': setting(str('a log format (use json or text)'), (text, at) => {
        const format = text.trim().toLowerCase();
        return format === 'json' || format === 'text' ? format : at.fail('is not a log format (use json or text)');
    }),
    environment: setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), scalarText, { error: 'a mapping of variable names to values' })),
    'memory-size': setting(num('a memory size in MB'), (mb, at) => Number.isInteger(mb) && mb >= 128 && mb <= 10240
        ? mb
        : at.fail('is not a memory size (use a whole number of MB from 128 to 10240)')),
    /** In whole seconds. */
    timeout: setting(durationValue, (value, at) => {
        const ms = toMs(value, at);
        if (ms % 1000 !== 0 || ms < 1000 || ms > 900_000) {
            return at.fail('is not a function timeout (use whole seconds from 1s to 900s)');
        }
        return ms / 1000;
    }),
    'keep-versions': setting(num('a number of versions'), countOf('a number of versions to keep')),
    traffic: setting(str(TRAFFIC_HINT)),
    alarms: setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP())], { error: 'a list of alarm names' })),
    'max-error-rate': setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()], { error: ERROR_RATE_HINT })),
    bake: setting(durationValue, durationWithin('a bake time', 0, MAX_WAIT_MS)),
    smoke: setting(smokeSchema),
    /**
     * Warm instances for the alias (release/capacity.ts). Lambda's own ceiling is the account's
     * unreserved concurrency (1,000 by default), known only to Lambda; MAX_PROVISIONED_CONCURRENCY
     * only catches typos.
     */
    'provisioned-concurrency': setting(num('a number of instances'), (count, at) => Number.isInteger(count) && count >= 1 && count <= MAX_PROVISIONED_CONCURRENCY
        ? count
        : at.fail(`is not a provisioned concurrency (use a whole number from 1 to ${MAX_PROVISIONED_CONCURRENCY})`)),
    /**
     * A container-image function's code: an ECR image URI by tag or digest, or one per region
     * (`{us-east-1: uri, eu-west-1: uri}`): Lambda takes images only from the function's region.
     */
    image: setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP())], {
        error: 'an ECR image URI, or a mapping of regions to image URIs',
    }), (value, at) => (typeof value === 'string' ? imageUri(value, at) : value)),
    /** The IAM role assumed (STS) for everything the action does on the stage: dev and prod may be in different accounts. */
    role: setting(str(ROLE_HINT), (text, at) => (ROLE_RE.test(text.trim()) ? text.trim() : at.fail(`is not ${ROLE_HINT}`))),
};
/** `s3-bucket` as one bucket name. */
const bucketName = matching(BUCKET_RE, 'is not an S3 bucket name');
/** `image` as one URI, trimmed. */
const imageUri = (text, at) => {
    const uri = text.trim();
    if (uri.includes('.dkr.ecr-fips.'))
        return at.fail(`is not ${IMAGE_HINT}; Lambda does not take images from ECR's FIPS endpoints`);
    return parseImageUri(uri) ? uri : at.fail(`is not ${IMAGE_HINT}`);
};
/** A region, as a key of `regions`, `s3-bucket` or `image`. */
const regionName = SETTINGS.region.check;
/**
 * The keys of one function's block under `functions`: any stage setting but `function` (the
 * block's key names the function), and the function's own code, `artifact` or `image`.
 */
const FUNCTION_SETTINGS = {
    ...Object.fromEntries(Object.entries(SETTINGS).filter(([key]) => key !== 'function' && key !== 'role')),
    /** The function's code: a `.zip` file or a directory, relative to the workspace. */
    artifact: setting(str('a path to a .zip file or a directory'), (text, at) => text.trim() === '' ? at.fail('is not a path to a .zip file or a directory') : text.trim()),
};
/** Keys that a function's block cannot hold, and why: messages say so instead of "unknown key". */
const NOT_IN_FUNCTION = {
    function: 'the key under functions is the function name or ARN',
    functions: 'functions is a key of the stage',
    regions: 'regions is a key of the stage: every function is released in every region',
    extends: 'extends is a key of the stage',
    role: 'role is a key of the stage: every function of a stage is in its one account',
};
/** `dev:` with nothing under it is a stage with the defaults. */
const emptyIfNull = (value) => (value === null || value === undefined ? {} : value);
const functionSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .preprocess */ .vkY(emptyIfNull, zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej(shapes(FUNCTION_SETTINGS), { error: 'a mapping of settings' }).partial());
/**
 * The keys that release several functions and regions as one (CONTRACT "Beyond one zip on one
 * function"). `functions` is an alternative to `function`, `regions` to `region`.
 */
const UNIT_SETTINGS = {
    /** Function name or ARN → that function's own settings (any stage key but `extends`), `artifact` or `image`. */
    functions: setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), functionSchema, { error: 'a mapping of function names to their settings' })),
    /** The same release in each region, all-or-nothing. */
    regions: setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP({ error: 'an AWS region' }), { error: 'a list of AWS regions' })),
};
/** The default `preview.alias` and `preview.keep-days`. */
const DEFAULT_PREVIEW_ALIAS = 'pr-{number}';
const DEFAULT_PREVIEW_KEEP_DAYS = 14;
/** The largest pull-request number the alias template is checked with (a GitHub issue number is an int32). */
const LARGEST_NUMBER = '2147483647';
const URL_AUTH_HINT = 'a function URL AuthType (use AWS_IAM or NONE)';
/**
 * The keys under a stage's `preview` (CONTRACT "A preview per pull request"): the stage is a
 * template for one alias per pull request. A stage's own key: never inherited through `extends`.
 */
const PREVIEW = {
    alias: setting(str('an alias template'), (template, at) => {
        if (!template.includes('{number}'))
            return at.fail("is not a preview alias template: it needs {number} (the pull request's number), like pr-{number}");
        const sample = template.replaceAll('{number}', LARGEST_NUMBER);
        return sample.length <= 128 && ALIAS_RE.test(sample) && !/[{}]/.test(sample)
            ? template
            : at.fail(`is not a preview alias template: with {number} filled in it must be a Lambda alias name ${ALIAS_RULE}`);
    }),
    url: setting(zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({ auth: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP({ error: URL_AUTH_HINT }).optional() }, { error: 'a mapping (use { auth: AWS_IAM } or { auth: NONE })' }), (value, at) => {
        const auth = (value.auth ?? 'AWS_IAM').trim().toUpperCase();
        return auth === 'AWS_IAM' || auth === 'NONE' ? { auth } : at.fail(`is not ${URL_AUTH_HINT}`);
    }),
    'keep-days': setting(num('a number of days'), countOf('a number of days')),
};
const previewSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .preprocess */ .vkY(emptyIfNull, zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej(shapes(PREVIEW), { error: 'a mapping (alias, url, keep-days)' }).partial());
const settingsShape = { ...shapes(SETTINGS), ...shapes(UNIT_SETTINGS) };
const defaultsSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej(settingsShape, { error: 'a mapping of settings' }).partial();
const stageSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({ ...settingsShape, extends: str('a stage name'), preview: previewSchema }, { error: 'a mapping of settings' })
    .partial();
/** The whole file: `defaults` and `stages`. */
const fileSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    defaults: zod__WEBPACK_IMPORTED_MODULE_3__/* .preprocess */ .vkY(emptyIfNull, defaultsSchema),
    stages: zod__WEBPACK_IMPORTED_MODULE_3__/* .preprocess */ .vkY(emptyIfNull, zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .preprocess */ .vkY(emptyIfNull, stageSchema), {
        error: 'a mapping of stage names to settings',
    })),
}, { error: 'a mapping with defaults and stages' });


/***/ })

};
