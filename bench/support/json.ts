import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

/** Results as JSON in the repository's own format, so `prettier --check .` (the lint step) accepts them. */
export async function writeJson(file: string, data: unknown): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(JSON.stringify(data), { ...options, parser: 'json' }));
}
