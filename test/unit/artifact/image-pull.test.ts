import { describe, expect, it } from 'vitest';

import { checkCrossAccountPull, functionAccount, imagePullRefusal, missingPullActions } from '../../../src/artifact/image-pull.js';
import { InputError } from '../../../src/model/errors.js';

const B = '210987654321';
const policy = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const both = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

describe('missingPullActions', () => {
  it.each([
    ['the account root', { AWS: `arn:aws:iam::${B}:root` }, both],
    ['the bare account id', { AWS: B }, both],
    ['a role of the account', { AWS: [`arn:aws:iam::111111111111:root`, `arn:aws:iam::${B}:role/deployer`] }, both],
    ['everyone', '*', 'ecr:*'],
    ['everyone (AWS *)', { AWS: '*' }, ['ecr:BatchGet*', 'ecr:GetDownloadUrlFor?ayer']],
  ])('is empty when the policy allows %s', (_what, Principal, Action) => {
    expect(missingPullActions(policy({ Effect: 'Allow', Principal, Action }), B)).toEqual([]);
  });

  it('names what is missing: another account, one action only, the service principal alone, a Deny', () => {
    expect(missingPullActions(policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: both }), B)).toEqual(both);
    expect(missingPullActions(policy({ Effect: 'Allow', Principal: { AWS: B }, Action: 'ecr:BatchGetImage' }), B)).toEqual(['ecr:GetDownloadUrlForLayer']);
    expect(missingPullActions(policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: both }), B)).toEqual(both);
    expect(
      missingPullActions(policy({ Effect: 'Allow', Principal: '*', Action: 'ecr:*' }, { Effect: 'Deny', Principal: { AWS: B }, Action: 'ecr:GetDownloadUrlForLayer' }), B),
    ).toEqual(['ecr:GetDownloadUrlForLayer']);
    expect(missingPullActions(policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}1:root` }, Action: both }), B)).toEqual(both);
    expect(missingPullActions('not json', B)).toEqual(both);
  });
});

describe('checkCrossAccountPull', () => {
  const what = { field: 'promote-from: "dev"', repository: 'notes', registryId: '123456789012', region: 'us-east-1', targetAccount: B, functionName: 'notes' };

  it('refuses no policy, naming the repository, the account, the actions and the statement to add', () => {
    const refusal = (() => {
      try {
        checkCrossAccountPull(what, { kind: 'none' }, () => undefined);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(InputError);
    const message = (refusal as Error).message;
    expect(message).toContain('ECR repository notes of account 123456789012 has no repository policy');
    expect(message).toContain(`in account ${B} cannot pull its image without ecr:BatchGetImage and ecr:GetDownloadUrlForLayer`);
    expect(message).toContain(`"AWS":"arn:aws:iam::${B}:root"`);
    expect(message).toContain('lambda.amazonaws.com');
  });

  it('passes a policy that allows it, and warns (without refusing) when the policy cannot be read', () => {
    const warnings: string[] = [];
    checkCrossAccountPull(what, { kind: 'policy', text: policy({ Effect: 'Allow', Principal: { AWS: B }, Action: both }) }, (m) => warnings.push(m));
    checkCrossAccountPull(what, { kind: 'denied', message: 'AccessDeniedException: no' }, (m) => warnings.push(m));
    expect(warnings).toEqual([expect.stringContaining('could not read the policy of ECR repository notes of account 123456789012 (AccessDeniedException: no)')]);
    expect(() => checkCrossAccountPull(what, { kind: 'policy', text: policy() }, () => undefined)).toThrow('has a policy that does not allow it');
  });
});

describe('imagePullRefusal and functionAccount', () => {
  const uri = `123456789012.dkr.ecr.us-east-1.amazonaws.com/notes@sha256:${'a'.repeat(64)}`;
  const lambdaError = (name: string, message: string) => Object.assign(new Error(message), { name });

  it("maps Lambda's refusals of an image it cannot pull, and nothing else", () => {
    const mapped = imagePullRefusal(lambdaError('AccessDeniedException', 'Lambda does not have permission to access the ECR image. Check the ECR permissions.'), uri, 'notes');
    expect(mapped?.message).toContain(`Lambda cannot pull image ${uri} for notes (AccessDeniedException: Lambda does not have permission`);
    expect(mapped?.message).toContain('(account 123456789012) must allow the function\'s account ecr:BatchGetImage and ecr:GetDownloadUrlForLayer');
    expect(imagePullRefusal(lambdaError('InvalidParameterValueException', `Source image ${uri} does not exist. Provide a valid source image.`), uri, 'notes')).toBeDefined();
    expect(imagePullRefusal(lambdaError('InvalidParameterValueException', 'Memory must be a multiple of 1'), uri, 'notes')).toBeUndefined();
    expect(imagePullRefusal(lambdaError('ServiceException', 'Lambda does not have permission to access the ECR image'), uri, 'notes')).toBeUndefined();
  });

  it('reads the account of a function ARN', () => {
    expect(functionAccount(`arn:aws:lambda:us-east-1:${B}:function:notes`)).toBe(B);
    expect(functionAccount('arn')).toBeUndefined();
  });
});
