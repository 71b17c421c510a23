/** A ReleasePlan in words: the numbered steps a dry run prints in the log and the summary. Pure. */
import type { CodeStep, ReleasePlan } from '../model/plan.js';
import { formatSize } from './format.js';

export function planSteps(plan: ReleasePlan): string[] {
  const lines: string[] = [];
  const target = plan.target;
  let to: string;
  if (target.kind === 'existing') {
    if (target.reason === 'carries the settings') lines.push(`reuse version ${target.version}: it carries ${plan.stage}'s settings already`);
    to = `version ${target.version}`;
  } else {
    if (target.settingsChanged.length > 0) lines.push(`update the settings of $LATEST: ${target.settingsChanged.join(', ')}`);
    lines.push(codeLine(target.code, plan.functionName));
    lines.push(`publish a version of ${plan.functionName} with CodeSha256 ${target.codeSha256}`);
    to = 'the new version';
  }
  if (plan.from === undefined) lines.push(`create alias ${plan.alias} on ${to}`);
  else if (target.kind === 'existing' && target.version === plan.from) lines.push(`clear the traffic split of alias ${plan.alias}: it stays on version ${plan.from}`);
  else lines.push(`shift alias ${plan.alias} from version ${plan.from} to ${to}`);
  lines.push(plan.smoke !== undefined ? `smoke-test ${plan.smoke.method} ${plan.smoke.url}; on failure, put the alias back` : 'no smoke test (smoke.url is not set)');
  return lines;
}

function codeLine(code: CodeStep, functionName: string): string {
  switch (code.kind) {
    case 'in-latest':
      return 'code: $LATEST holds it already, nothing to upload';
    case 'direct':
      return `upload ${formatSize(code.sizeBytes)} directly to ${functionName}`;
    case 's3':
      return code.alreadyThere
        ? `take s3://${code.bucket}/${code.key} (already there), then update the code`
        : `upload ${formatSize(code.sizeBytes)} to s3://${code.bucket}/${code.key}, then update the code`;
    case 'image':
      return `update the code of ${functionName} to image ${code.imageUri}${code.tag !== undefined ? ` (tag ${code.tag})` : ''}`;
    case 'download':
      return (
        `download the code of ${code.fromStage}'s version ${code.version} from Lambda (${formatSize(code.sizeBytes)})` +
        (code.via.kind === 's3' ? `, put it in s3://${code.via.bucket}/${code.via.key}` : '') +
        ', then update the code'
      );
  }
}
