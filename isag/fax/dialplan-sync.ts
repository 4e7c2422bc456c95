import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorText, type Logger } from '../../lib/log';
import { faxNumbers, renderFaxDialplan } from './dialplan';

export interface FaxDialplanPorts {
  /** The generated file as Asterisk has it (undefined: none yet). */
  current(): Promise<string | undefined>;
  /** Writes it where Asterisk reads it (and where `scripts/asterisk.sh render` copies it from). */
  write(text: string): Promise<void>;
  /** `dialplan reload`: the module reload of pbx_config over ARI. */
  reload(): Promise<void>;
  log: Logger;
}

/**
 * Keeps Asterisk's fax numbers equal to the fax queues' addresses while ISAG runs, as SoftACD keeps the
 * agents' endpoints (stasis-app/provisioning/endpoint-sync.ts). Applies run one at a time; a change that
 * arrives during one is applied after it, the latest only.
 */
export class FaxDialplanSync {
  private running: Promise<void> | undefined;
  private next: readonly string[] | undefined;
  /** The file was written but Asterisk not reloaded: the next apply reloads even for the same text. */
  private unloaded = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly ports: FaxDialplanPorts,
    private readonly retryMs = 5_000,
  ) {}

  /** Answers whether Asterisk was reloaded (nothing is done when the file would not change). */
  async apply(addresses: readonly string[]): Promise<boolean> {
    const { numbers, refused } = faxNumbers(addresses);
    if (refused.length > 0)
      this.ports.log.warn('fax queue addresses that are no dialable number left out of the dialplan', {
        refused,
      });
    const text = renderFaxDialplan(numbers);
    if ((await this.ports.current()) === text && !this.unloaded) return false;
    this.unloaded = true;
    await this.ports.write(text);
    await this.ports.reload();
    this.unloaded = false;
    this.ports.log.info('fax numbers written to the dialplan', { numbers });
    return true;
  }

  /**
   * Applies in the background, never two at once. A failure (Asterisk down, its ARI refusing) is logged
   * and tried again after `retryMs` unless a newer change came first.
   */
  update(addresses: readonly string[]): void {
    clearTimeout(this.retry);
    this.retry = undefined;
    this.next = addresses;
    if (this.running !== undefined) return;
    this.running = (async () => {
      while (this.next !== undefined) {
        const todo = this.next;
        this.next = undefined;
        await this.apply(todo).catch((err: unknown) => {
          this.ports.log.warn('fax numbers not written to the dialplan, retrying', { error: errorText(err) });
          if (this.next === undefined) {
            this.retry = setTimeout(() => this.update(todo), this.retryMs);
            this.retry.unref();
          }
        });
      }
    })().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once no apply is running, and drops a scheduled retry (stop, tests). */
  async stop(): Promise<void> {
    clearTimeout(this.retry);
    this.retry = undefined;
    while (this.running !== undefined) await this.running;
  }
}

/** The files (Asterisk's copy and the run directory's) and ISAG's ARI user for the reload. */
export function fileDialplanPorts(settings: {
  files: readonly string[];
  ari: { url: string; user: string; password: string };
  log: Logger;
}): FaxDialplanPorts {
  const [first] = settings.files;
  if (first === undefined) throw new Error('fax dialplan: no file to write');
  return {
    current: () =>
      readFile(first, 'utf8').catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }),
    write: async (text) => {
      for (const file of settings.files) {
        await mkdir(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, text, { mode: 0o644 });
        await rename(tmp, file);
      }
    },
    reload: async () => {
      const url = `${settings.ari.url.replace(/\/+$/, '')}/ari/asterisk/modules/pbx_config.so`;
      const auth = Buffer.from(`${settings.ari.user}:${settings.ari.password}`).toString('base64');
      const res = await fetch(url, {
        method: 'PUT',
        headers: { authorization: `Basic ${auth}` },
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`ARI dialplan reload: ${res.status} ${await res.text().catch(errorText)}`);
    },
    log: settings.log,
  };
}
