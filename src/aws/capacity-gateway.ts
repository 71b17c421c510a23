/**
 * Lambda's provisioned concurrency configurations, through the SDK
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html,
 * API_GetProvisionedConcurrencyConfig.html, API_DeleteProvisionedConcurrencyConfig.html).
 */
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { CapacityGateway, CapacityState } from '../model/ports.js';

interface Answer {
  Status?: string | undefined;
  StatusReason?: string | undefined;
  RequestedProvisionedConcurrentExecutions?: number | undefined;
  AllocatedProvisionedConcurrentExecutions?: number | undefined;
}

function toState(answer: Answer): CapacityState {
  const status = answer.Status === 'READY' || answer.Status === 'FAILED' ? answer.Status : 'IN_PROGRESS';
  return {
    status,
    requested: answer.RequestedProvisionedConcurrentExecutions ?? 0,
    allocated: answer.AllocatedProvisionedConcurrentExecutions ?? 0,
    ...(answer.StatusReason !== undefined && { statusReason: answer.StatusReason }),
  };
}

/** "ProvisionedConcurrencyConfigNotFoundException: The specified configuration does not exist." (GetProvisionedConcurrencyConfig, Errors). */
const notFound = (error: unknown) => error instanceof Error && error.name === 'ProvisionedConcurrencyConfigNotFoundException';

export class SdkCapacityGateway implements CapacityGateway {
  constructor(private readonly client: LambdaClient) {}

  async provision(functionName: string, qualifier: string, count: number): Promise<CapacityState> {
    return toState(
      await this.client.send(
        new PutProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier, ProvisionedConcurrentExecutions: count }),
      ),
    );
  }

  async read(functionName: string, qualifier: string): Promise<CapacityState | undefined> {
    try {
      return toState(await this.client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier })));
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async release(functionName: string, qualifier: string): Promise<void> {
    try {
      await this.client.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier }));
    } catch (error) {
      if (!notFound(error) && !(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
    }
  }
}
