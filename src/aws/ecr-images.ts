/**
 * The ImageRegistry (ECR) for container-image functions: one DescribeImages per question.
 *
 * DescribeImages (ECR API reference, API_DescribeImages.html) takes `repositoryName`, an optional
 * `registryId` (the account of the registry; default the caller's) and `imageIds`, each an
 * `imageTag` or an `imageDigest`; it answers `imageDetails` with the image's `imageDigest` and
 * `imageTags`. An image that does not exist is `ImageNotFoundException`, a repository that does not
 * exist `RepositoryNotFoundException`: both mean "not there" here (the caller words the refusal).
 * GetRepositoryPolicy (API_GetRepositoryPolicy.html) takes `registryId` and `repositoryName` and
 * answers `policyText`; a repository without a policy is `RepositoryPolicyNotFoundException`, a
 * caller without `ecr:GetRepositoryPolicy` gets `AccessDeniedException`.
 * IAM: `ecr:DescribeImages` on the repository; `ecr:GetRepositoryPolicy` for a promote across accounts. Lambda's own pull (`ecr:BatchGetImage`,
 * `ecr:GetDownloadUrlForLayer`) is granted to Lambda by the repository's policy, not to the deployer.
 */
import { DescribeImagesCommand, GetRepositoryPolicyCommand, type ECRClient } from '@aws-sdk/client-ecr';

import { errorMessage } from '../model/errors.js';
import type { ImageRegistry, RepositoryPolicy } from '../model/ports.js';

export class SdkImageRegistry implements ImageRegistry {
  constructor(private readonly client: ECRClient) {}

  async describeImage(ref: { registryId: string; repository: string; tag?: string; digest?: string }): Promise<{ digest: string; tags: string[] } | undefined> {
    try {
      const answer = await this.client.send(
        new DescribeImagesCommand({
          registryId: ref.registryId,
          repositoryName: ref.repository,
          imageIds: [ref.digest !== undefined ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? 'latest' }],
        }),
      );
      const found = answer.imageDetails?.[0];
      if (found?.imageDigest === undefined) return undefined;
      return { digest: found.imageDigest, tags: [...(found.imageTags ?? [])] };
    } catch (error) {
      if (error instanceof Error && (error.name === 'ImageNotFoundException' || error.name === 'RepositoryNotFoundException')) return undefined;
      throw error;
    }
  }

  async repositoryPolicy(ref: { registryId: string; repository: string }): Promise<RepositoryPolicy> {
    try {
      const answer = await this.client.send(new GetRepositoryPolicyCommand({ registryId: ref.registryId, repositoryName: ref.repository }));
      return answer.policyText === undefined ? { kind: 'none' } : { kind: 'policy', text: answer.policyText };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'RepositoryPolicyNotFoundException') return { kind: 'none' };
      if (name === 'RepositoryNotFoundException') return { kind: 'no-repository' };
      if (name === 'AccessDeniedException' || name === 'AccessDenied') return { kind: 'denied', message: `${name}: ${errorMessage(error)}` };
      throw error;
    }
  }
}
