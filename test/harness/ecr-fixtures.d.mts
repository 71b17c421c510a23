import type { ECRClient } from '@aws-sdk/client-ecr';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';

export function ecrClient(endpoint: string, region?: string): ECRClient;
export function createRepository(endpoint: string, name: string, region?: string): Promise<string>;
export function pushImage(endpoint: string, repository: string, tag: string, seed?: string, region?: string): Promise<string>;
export function deleteImage(endpoint: string, repository: string, digest: string, region?: string): Promise<void>;
export function createImageFunction(
  endpoint: string,
  options: { name: string; imageUri: string; environment?: Record<string, string>; region?: string },
): Promise<FunctionConfiguration>;
