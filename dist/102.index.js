export const id = 102;
export const ids = [102];
export const modules = {

/***/ 1102:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SdkImageRegistry: () => (/* binding */ SdkImageRegistry)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8249);
/* harmony import */ var _model_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7206);
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


class SdkImageRegistry {
    client;
    constructor(client) {
        this.client = client;
    }
    async describeImage(ref) {
        try {
            const answer = await this.client.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__.DescribeImagesCommand({
                registryId: ref.registryId,
                repositoryName: ref.repository,
                imageIds: [ref.digest !== undefined ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? 'latest' }],
            }));
            const found = answer.imageDetails?.[0];
            if (found?.imageDigest === undefined)
                return undefined;
            return { digest: found.imageDigest, tags: [...(found.imageTags ?? [])] };
        }
        catch (error) {
            if (error instanceof Error && (error.name === 'ImageNotFoundException' || error.name === 'RepositoryNotFoundException'))
                return undefined;
            throw error;
        }
    }
    async repositoryPolicy(ref) {
        try {
            const answer = await this.client.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__.GetRepositoryPolicyCommand({ registryId: ref.registryId, repositoryName: ref.repository }));
            return answer.policyText === undefined ? { kind: 'none' } : { kind: 'policy', text: answer.policyText };
        }
        catch (error) {
            const name = error instanceof Error ? error.name : '';
            if (name === 'RepositoryPolicyNotFoundException')
                return { kind: 'none' };
            if (name === 'RepositoryNotFoundException')
                return { kind: 'no-repository' };
            if (name === 'AccessDeniedException' || name === 'AccessDenied')
                return { kind: 'denied', message: `${name}: ${(0,_model_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}` };
            throw error;
        }
    }
}


/***/ })

};
