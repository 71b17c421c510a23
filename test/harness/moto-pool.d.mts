type Moto = { endpoint: string; port: number; stop: () => Promise<void> };
export function startMotoPool(spawnMoto: (env: Record<string, string>) => Promise<Moto>): Promise<{ url: string; close: () => Promise<void> }>;
export function leaseMoto(poolUrl: string, env: Record<string, string>): Promise<Moto>;
