import path from 'node:path';
import { env, envInt } from '../../lib/config';

/** Every IVR setting, read once from the environment (defaults: the local system of scripts/up.sh). */
export interface IvrConfig {
  instanceId: string;
  app: string;
  asBaseUrl: string;
  /** Where prompts live for Asterisk (`sound:ipcc/<name>`); speech for data steps is rendered here too. */
  promptDir: string;
  flowCacheMs: number;
  /** A called number without a flow: this prompt, then this queue (empty: goodbye and hang up). */
  defaultPrompt: string;
  defaultQueue: string | undefined;
  /** Queue media per queue name (`IVR_QUEUE_MEDIA=sales:queue-music,vip:vip-loop`), else `queue-music`. */
  queueMedia: (queue: string) => string;
  voicemailMaxSec: number;
  sessionMaxAgeMs: number;
}

export function parseQueueMedia(spec: string, fallback: string): (queue: string) => string {
  const map = new Map<string, string>();
  for (const pair of spec.split(',').filter((p) => p.trim() !== '')) {
    const [queue, prompt] = pair.split(':').map((s) => s.trim());
    if (!queue || !prompt) throw new Error(`IVR_QUEUE_MEDIA: "${pair}" is not queue:prompt`);
    map.set(queue, prompt);
  }
  return (queue) => map.get(queue) ?? fallback;
}

export function loadIvrConfig(): IvrConfig {
  const soundsDir = env('ASTERISK_SOUNDS_DIR', '/var/lib/ipcc/sid/usr/share/asterisk/sounds');
  const defaultQueue = env('IVR_DEFAULT_QUEUE', '-');
  return {
    instanceId: env('IVR_ID', 'ivr-1'),
    app: env('IVR_APP', 'ivr'),
    asBaseUrl: `http://${env('AS_HOST', '127.0.0.1')}:${env('AS_PORT', '8090')}`,
    promptDir: path.join(soundsDir, 'ipcc'),
    flowCacheMs: envInt('IVR_FLOW_CACHE_MS', 30_000),
    defaultPrompt: env('IVR_DEFAULT_PROMPT', 'welcome'),
    defaultQueue: defaultQueue === '-' ? undefined : defaultQueue,
    queueMedia: parseQueueMedia(env('IVR_QUEUE_MEDIA', '-').replace(/^-$/, ''), 'queue-music'),
    voicemailMaxSec: envInt('IVR_VOICEMAIL_MAX_SEC', 120),
    sessionMaxAgeMs: envInt('IVR_SESSION_MAX_AGE_MS', 12 * 3600_000),
  };
}
