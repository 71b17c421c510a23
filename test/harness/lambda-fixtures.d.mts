import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';

export const TEST_REGION: string;
export const TEST_ROLE_NAME: string;
export const TEST_ROLE_ARN: string;

export function lambdaClient(endpoint: string, region?: string): LambdaClient;
export function s3Client(endpoint: string, region?: string): S3Client;

/** Creates the IAM role `stage-deploy-test` if missing; returns its ARN. */
export function createRole(endpoint: string): Promise<string>;

export interface CreateFunctionOptions {
  name: string;
  zipPath: string;
  environment?: Record<string, string>;
  /** Default `index.handler`. */
  handler?: string;
  /** Default `nodejs20.x`. */
  runtime?: string;
  /** Default `us-east-1`. */
  region?: string;
}
export function createFunction(endpoint: string, options: CreateFunctionOptions): Promise<FunctionConfiguration>;

export function createBucket(endpoint: string, name: string): Promise<void>;

export interface ConfigSnapshot {
  Version: string;
  CodeSha256: string;
  Description: string;
  Environment: Record<string, string>;
  MemorySize: number | undefined;
  Timeout: number | undefined;
}
export interface AliasSnapshot {
  Name: string;
  FunctionVersion: string;
  Description: string;
  Weights: Record<string, number>;
}
export interface FunctionSnapshot {
  latest: ConfigSnapshot;
  /** Every version ListVersionsByFunction reports ($LATEST first, then by number). */
  versions: ConfigSnapshot[];
  /** Sorted by name. */
  aliases: AliasSnapshot[];
}
export function snapshotFunction(endpoint: string, name: string): Promise<FunctionSnapshot>;

/** Writes `files` (relative path → content) under a fresh folder in `dir`, zips them with `zip -qrX`; returns the zip path. */
export function makeZip(dir: string, files: Record<string, string>): string;

/** Base64 SHA-256 of a file, as Lambda reports CodeSha256. */
export function codeSha256(zipPath: string): string;
/** Another account, as a stage's `role` reaches it: STS credentials for `roleArn`, and an execution role created there. */
export function otherAccount(
  endpoint: string,
  roleArn: string,
  options?: { region?: string; roleName?: string },
): Promise<{ credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }; executionRole: string }>;
