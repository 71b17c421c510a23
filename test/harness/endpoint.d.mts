export interface EndpointRequest {
  method: string;
  path: string;
  version?: string;
  status: number;
  stderr: string;
}
export function startEndpoint(options: {
  awsEndpoint: string;
  functionName: string;
  alias: string;
  codeRoots: string[];
  region?: string;
}): Promise<{ url: string; port: number; requests: EndpointRequest[]; stop: () => Promise<void> }>;
