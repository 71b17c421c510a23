// The post step's cleanUp (src/app.ts) for a stage with `role` (issue 15): the saved state names
// the role; the alias is put back through the Lambda of that role, and only when the post step's
// own stage names the same role. A role that can no longer be assumed is named, and nothing moves.
import { describe, expect, it } from 'vitest';

import { cleanUp, type CleanUpTarget } from '../../src/app.js';
import { AssumeRoleError } from '../../src/aws/assume-role.js';
import type { RolloutState } from '../../src/model/ports.js';
import { FakeLambda, RecordingLog } from './fakes.js';

const ROLE = 'arn:aws:iam::210987654321:role/deployer';
const state: RolloutState = {
  functionName: 'notes-api',
  alias: 'prod',
  region: 'us-east-1',
  role: ROLE,
  toVersion: '3',
  toDescription: 'history: 3',
  before: { version: '2', weights: {}, description: 'history: 2' },
};
const target: CleanUpTarget = { functionName: 'notes-api', alias: 'prod', region: 'us-east-1', role: ROLE, stage: 'prod' };
/** The same stage without `role` (the job's own account). */
const targetWithoutRole: CleanUpTarget = { functionName: 'notes-api', alias: 'prod', region: 'us-east-1', stage: 'prod' };
const stateWithoutRole: RolloutState = { ...state };
delete stateWithoutRole.role;

/** A Lambda whose alias prod is as a killed canary left it: 2, with 50% on 3. */
function leftMidShift(): FakeLambda {
  const lambda = new FakeLambda();
  lambda.aliases.set('prod', { name: 'prod', arn: 'arn:prod', version: '2', description: 'history: 2', weights: { '3': 0.5 }, revisionId: 'a1' });
  return lambda;
}

describe('cleanUp of a stage in another account', () => {
  it("puts the alias back through the Lambda of the state's role", async () => {
    const lambda = leftMidShift();
    const asked: [string | undefined, string | undefined][] = [];
    const outcome = await cleanUp(JSON.stringify(state), target, new RecordingLog(), (region, role) => {
      asked.push([region, role]);
      return lambda;
    });
    expect(outcome).toBe('restored');
    expect(asked).toEqual([['us-east-1', ROLE]]);
    expect(lambda.aliases.get('prod')).toMatchObject({ version: '2', weights: {} });
  });

  it.each([
    ['a state with the role, the stage without', state, targetWithoutRole],
    ['a state without the role, the stage with it', stateWithoutRole, target],
    ['another role', { ...state, role: 'arn:aws:iam::210987654321:role/other' }, target],
  ])('refuses %s, and asks for no Lambda', async (_, saved, own) => {
    const log = new RecordingLog();
    const outcome = await cleanUp(JSON.stringify(saved), own, log, () => {
      throw new Error('no Lambda may be asked for');
    });
    expect(outcome).toBe('refused');
    expect(log.lines.join('\n')).toMatch(/^warn: stage-deploy post: the saved rollout state names alias prod of notes-api in us-east-1.*; nothing was changed\.$/);
  });

  it('the same in a list of several units', async () => {
    const log = new RecordingLog();
    const outcome = await cleanUp(JSON.stringify([state]), [targetWithoutRole], log, () => {
      throw new Error('no Lambda may be asked for');
    });
    expect(outcome).toBe('refused');
    expect(log.lines).toEqual([
      `warn: stage-deploy post: the saved rollout state names alias prod of notes-api in us-east-1 (role ${ROLE}), not one of this step's aliases; nothing was changed.`,
    ]);
  });

  it.each([
    ['one unit', JSON.stringify(state), target],
    ['a list of units', JSON.stringify([state]), [target]],
  ])('a role that can no longer be assumed (%s): one error naming stages.prod.role and the ARN, the alias left as it is', async (_, saved, own) => {
    const lambda = leftMidShift();
    // The SDK calls the credentials provider on the first request: that is where AssumeRole fails.
    lambda.failWhen = () => {
      throw new AssumeRoleError(ROLE, 'AccessDenied', 'not authorized to perform: sts:AssumeRole');
    };
    const log = new RecordingLog();
    const outcome = await cleanUp(saved, own, log, () => lambda);
    expect(outcome).toBe('failed');
    const errors = log.lines.filter((l) => l.startsWith('error: '));
    expect(errors).toEqual([
      `error: stage-deploy post: could not put alias prod of notes-api back (stages.prod.role: "${ROLE}" cannot be assumed with the job's own credentials ` +
        `(AccessDenied: not authorized to perform: sts:AssumeRole); nothing was changed). Repair it by hand with role ${ROLE}'s credentials: ` +
        `aws lambda update-alias --function-name notes-api --name prod --function-version 2 --routing-config '{"AdditionalVersionWeights":{}}' --region us-east-1`,
    ]);
    expect(lambda.aliases.get('prod')).toMatchObject({ version: '2', weights: { '3': 0.5 } });
  });
});
