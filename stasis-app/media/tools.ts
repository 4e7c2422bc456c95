import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Debian packages that provide the external tools the builder runs. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffmpeg',
  'espeak-ng': 'espeak-ng',
};

export const FONT_PACKAGE = 'fonts-dejavu-core';

export class ToolError extends Error {
  constructor(
    message: string,
    readonly tool: string,
    readonly code: 'missing' | 'failed',
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export function findOnPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Throws a ToolError naming every missing tool and the Debian package to install. */
export function requireTools(tools: readonly string[]): void {
  const missing = tools.filter((tool) => findOnPath(tool) === undefined);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => TOOL_PACKAGES[tool] ?? tool))];
  throw new ToolError(
    `missing tool(s): ${missing.join(', ')}; install with: apt-get install -y ${packages.join(' ')}`,
    missing.join(','),
    'missing',
  );
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** Runs a program with an argument array (never a shell); rejects with its stderr on a non-zero exit. */
export interface RunOptions {
  /** Bytes written to the tool's stdin. */
  input?: Buffer;
  /** Working directory (lets filter arguments name files without paths that need escaping). */
  cwd?: string;
}

export function run(tool: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { input, cwd } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(cwd !== undefined && { cwd }) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code === 'ENOENT' ? 'missing' : 'failed';
      const hint = code === 'missing' ? ` (apt-get install -y ${TOOL_PACKAGES[tool] ?? tool})` : '';
      reject(new ToolError(`${tool}: ${error.message}${hint}`, tool, code));
    });
    child.on('close', (status, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (status === 0) {
        resolve({ stdout: Buffer.concat(out), stderr });
      } else {
        const tail = stderr.trim().split('\n').slice(-5).join('\n');
        reject(new ToolError(`${tool} exited with ${status ?? signal}: ${tail}`, tool, 'failed'));
      }
    });
    child.stdin.on('error', () => undefined); // the tool may exit before reading all input
    child.stdin.end(input);
  });
}

/** ffmpeg with the quiet, non-interactive flags every call here uses. */
export function ffmpeg(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], options);
}
