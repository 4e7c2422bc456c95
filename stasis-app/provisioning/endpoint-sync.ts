import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorText, type Logger } from '../../lib/log';
import { renderAgentEndpoints, type AgentEndpointInput } from './agent-endpoints';

export interface EndpointSyncPorts {
  /** The generated file as Asterisk has it (undefined: none yet). */
  current(): Promise<string | undefined>;
  /** Writes it where Asterisk reads it and where `scripts/asterisk.sh render` copies it from. */
  write(text: string): Promise<void>;
  /** `module reload res_pjsip.so`: Asterisk re-reads pjsip.conf and its includes. */
  reload(): Promise<void>;
  secret: string;
  log: Logger;
}

/**
 * Keeps Asterisk's agent endpoints (endpoint, auth and aor per phone, `pjsip_agents.conf`) equal to the
 * AS's agents while both run. A generated include file plus a PJSIP reload, not ARI's dynamic
 * configuration: `PUT /asterisk/config/dynamic/res_pjsip/...` writes only through a sorcery wizard that
 * can create objects (astdb or realtime), and this Asterisk keeps PJSIP in pjsip.conf (no sorcery.conf):
 * objects pushed over ARI would live in memory only and vanish at Asterisk's next restart, while the file
 * is read again at every start (`scripts/asterisk.sh` renders it from `.run`).
 */
export class EndpointSync {
  constructor(private readonly ports: EndpointSyncPorts) {}

  /** Answers whether Asterisk was reloaded (nothing is done when the file would not change). */
  async apply(agents: readonly AgentEndpointInput[]): Promise<boolean> {
    const text = renderAgentEndpoints([...agents], this.ports.secret);
    if ((await this.ports.current()) === text) return false;
    await this.ports.write(text);
    await this.ports.reload();
    this.ports.log.info('agent endpoints reloaded', {
      endpoints: agents.reduce((n, a) => n + (a.sip ? 1 : 0) + (a.webrtc ? 1 : 0), 0),
    });
    return true;
  }
}

/** The files and the ARI call of one Asterisk node (the chroot's /etc/ipcc and the run directory). */
export function fileEndpointPorts(settings: {
  etcFile: string;
  runFile: string;
  ari: { url: string; user: string; password: string };
  secret: string;
  log: Logger;
}): EndpointSyncPorts {
  const writeAtomic = async (file: string, text: string) => {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    // The SIP passwords are in it: readable by its owner only.
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file);
  };
  return {
    current: () =>
      readFile(settings.etcFile, 'utf8').catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }),
    write: async (text) => {
      await writeAtomic(settings.runFile, text);
      await writeAtomic(settings.etcFile, text);
    },
    reload: async () => {
      const url = `${settings.ari.url.replace(/\/+$/, '')}/ari/asterisk/modules/res_pjsip.so`;
      const auth = Buffer.from(`${settings.ari.user}:${settings.ari.password}`).toString('base64');
      const res = await fetch(url, { method: 'PUT', headers: { authorization: `Basic ${auth}` } });
      if (!res.ok) throw new Error(`ARI module reload: ${res.status} ${await res.text().catch(errorText)}`);
    },
    secret: settings.secret,
    log: settings.log,
  };
}
