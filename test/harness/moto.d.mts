export const MOTO_INSTALL_HINT: string;
export function assertMotoInstalled(): void;
export function freePort(): Promise<number>;
/** `env`: moto's settings, e.g. `{ MOTO_LAMBDA_STUB_ECR: 'false' }` for container-image functions resolved in moto's ECR. */
export function startMoto(options?: { env?: Record<string, string> }): Promise<{ endpoint: string; port: number; stop: () => Promise<void> }>;
export function awsEnv(endpoint: string, region?: string): Record<string, string>;
export function useAwsEnv(endpoint: string, region?: string): () => void;
export function useEnv(variables: Record<string, string>): () => void;
export function destroyClients(clients: object | undefined): void;
/** Start a moto_server process of its own, outside the pool. */
export function spawnMoto(env?: Record<string, string>): Promise<{ endpoint: string; port: number; stop: () => Promise<void> }>;
