import type { StasisStart } from 'ari-client';

/** ARI sends the Stasis() arguments as a list; the typings also allow a lone string. */
export function stasisArgs(event: StasisStart): string[] {
  const args: unknown = event.args;
  if (Array.isArray(args)) return args.map(String);
  return typeof args === 'string' && args !== '' ? [args] : [];
}
