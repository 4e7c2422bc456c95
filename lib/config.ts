/**
 * Reads settings from the environment. Defaults are the embedded local system that `scripts/up.sh`
 * starts: everything on loopback.
 */
export function env(name: string, fallback?: string): string {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`missing required environment variable ${name}`);
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

export const defaults = {
  // No defaults: each service has credentials of its own (scripts/lib.sh load_env, service_env).
  amqpUrl: () => env('AMQP_URL'),
  mongoUri: () => env('MONGODB_URI'),
  ariUrl: () => env('ARI_URL', 'http://127.0.0.1:8088'),
  ariUser: () => env('ARI_USER'),
  ariPassword: () => env('ARI_PASSWORD'),
};
