export interface EndpointRequest {
  method: string;
  path: string;
  version?: string;
  status: number;
  stderr: string;
  /** Date.now() when the request arrived and when it was answered. */
  receivedAt: number;
  answeredAt: number;
  /** With `writeLogs`, for a request that ran a handler: the run's request id (in START/END/REPORT). */
  requestId?: string;
  /** With `writeLogs`, for a request that ran a handler: its stream in `/aws/lambda/<function>`. */
  logStream?: string;
}
export function startEndpoint(options: {
  awsEndpoint: string;
  functionName: string;
  alias: string;
  codeRoots: string[];
  /** The function's region (default us-east-1): its alias is read there, and its handler sees it as AWS_REGION, as on Lambda. */
  region?: string;
  /**
   * After each answer, write to moto what Lambda would: the run's log lines (START, what the
   * handler printed, END, REPORT) in a new stream `YYYY/MM/DD/[<version>]<32 hex>` of
   * `/aws/lambda/<function>`, and Invocations / Errors / Duration in AWS/Lambda (dimensions
   * FunctionName, Resource `<function>:<alias>`, ExecutedVersion); with `api`, also API Gateway's
   * 4XXError / 5XXError / Latency (AWS/ApiGateway, dimensions ApiId and Stage). `flush()` waits.
   */
  writeLogs?: boolean;
  /** The API Gateway stage this endpoint stands in for (its metrics are written with `writeLogs`). */
  api?: { id: string; stage: string };
}): Promise<{
  url: string;
  port: number;
  requests: EndpointRequest[];
  /** Waits for every log and metric write begun so far; rejects with the first that failed. */
  flush: () => Promise<void>;
  stop: () => Promise<void>;
}>;
