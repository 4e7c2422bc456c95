import { writeFileSync } from 'node:fs';
import { format } from 'prettier';

/** Results as JSON in the repository's own format, so `prettier --check .` (the lint step) accepts them. */
export async function writeJson(file: string, data: unknown): Promise<void> {
  writeFileSync(file, await format(JSON.stringify(data), { parser: 'json' }));
}
