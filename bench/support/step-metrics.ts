/**
 * What a step costs in messages: the services' own Prometheus counters (lib/bus/metrics.ts,
 * stasis-app/ari/metrics.ts), read before and after the calls, and CTI's gauges to check that a step
 * starts clean. Each message on the bus and each ARI request is CPU in more than one process.
 */

/** One sample of the text exposition format: `name{label="v",...} value`. */
export interface Sample {
  name: string;
  labels: Map<string, string>;
  value: number;
}

const LINE = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([A-Za-z_]\w*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a /metrics answer (comments and malformed lines skipped). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (m === null) continue;
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    const labels = new Map<string, string>();
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels.set(l[1] as string, l[2] as string);
    out.push({ name: m[1] as string, labels, value });
  }
  return out;
}

/** The sum of a metric's samples whose labels match every pair of `where`. */
export function total(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  let n = 0;
  for (const s of samples)
    if (s.name === name && Object.entries(where).every(([k, v]) => s.labels.get(k) === v)) n += s.value;
  return n;
}

/** Counters of one process at one moment. */
export interface Counters {
  published: number;
  consumed: number;
  ari: number;
  /** ARI requests by `METHOD path-template`. */
  ariByOperation: Map<string, number>;
}

export function countersOf(samples: Sample[]): Counters {
  const ariByOperation = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== 'ipcc_ari_request_duration_seconds_count') continue;
    const op = `${s.labels.get('method') ?? '?'} ${s.labels.get('path') ?? '?'}`;
    ariByOperation.set(op, (ariByOperation.get(op) ?? 0) + s.value);
  }
  return {
    published: total(samples, 'ipcc_bus_published_total', { outcome: 'ok' }),
    consumed: total(samples, 'ipcc_bus_consumed_total'),
    ari: total(samples, 'ipcc_ari_request_duration_seconds_count'),
    ariByOperation,
  };
}

/** Per call, by process: what the step's calls cost between two readings. */
export interface PerCall {
  /** Bus messages published (confirmed) per call, by process and in all. */
  published: Record<string, number>;
  /** Bus deliveries taken per call, by process and in all. */
  consumed: Record<string, number>;
  /** ARI requests per call, by process and in all. */
  ari: Record<string, number>;
  /** The most frequent ARI operations, per call (all processes). */
  ariTop: Array<{ operation: string; perCall: number }>;
}

export function perCall(
  before: Map<string, Counters>,
  after: Map<string, Counters>,
  calls: number,
  top = 8,
): PerCall {
  const out: PerCall = { published: {}, consumed: {}, ari: {}, ariTop: [] };
  const ops = new Map<string, number>();
  let published = 0;
  let consumed = 0;
  let ari = 0;
  for (const [proc, a] of after) {
    const b = before.get(proc);
    const d = (k: 'published' | 'consumed' | 'ari'): number => (a[k] - (b?.[k] ?? 0)) / calls;
    out.published[proc] = d('published');
    out.consumed[proc] = d('consumed');
    out.ari[proc] = d('ari');
    published += d('published');
    consumed += d('consumed');
    ari += d('ari');
    for (const [op, n] of a.ariByOperation)
      ops.set(op, (ops.get(op) ?? 0) + (n - (b?.ariByOperation.get(op) ?? 0)) / calls);
  }
  out.published.total = published;
  out.consumed.total = consumed;
  out.ari.total = ari;
  out.ariTop = [...ops.entries()]
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1])
    .slice(0, top)
    .map(([operation, n]) => ({ operation, perCall: n }));
  return out;
}

/** Why CTI's state is not a clean start for a step (contacts left, agents not Ready), or undefined. */
export function uncleanStart(cti: Sample[], agents: number): string | undefined {
  const contacts = total(cti, 'ipcc_cti_contacts');
  const ready = total(cti, 'ipcc_cti_agents', { state: 'ready' });
  const problems: string[] = [];
  if (contacts !== 0) problems.push(`${contacts} contacts in CTI`);
  if (ready !== agents) problems.push(`${ready} of ${agents} agents Ready`);
  return problems.length === 0 ? undefined : problems.join(', ');
}

/** The ops port of each process that counts bus messages or ARI requests (scripts/lib.sh's defaults). */
export function opsPorts(env: NodeJS.ProcessEnv = process.env): Map<string, number> {
  return new Map([
    ['softacd', Number(env.SOFTACD_OPS_PORT ?? 9462)],
    ['ivr', Number(env.IVR_OPS_PORT ?? 9463)],
    ['cti', Number(env.CTI_OPS_PORT ?? 9461)],
    ['as', Number(env.AS_OPS_PORT ?? 9464)],
  ]);
}

export async function scrape(port: number, env: NodeJS.ProcessEnv = process.env): Promise<Sample[]> {
  const res = await fetch(`http://${env.OPS_HOST ?? '127.0.0.1'}:${port}/metrics`, {
    headers: { authorization: `Bearer ${env.METRICS_TOKEN ?? ''}` },
  });
  if (!res.ok) throw new Error(`/metrics on port ${port} answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** Every process's counters now. */
export async function readCounters(): Promise<Map<string, Counters>> {
  const out = new Map<string, Counters>();
  for (const [proc, port] of opsPorts()) out.set(proc, countersOf(await scrape(port)));
  return out;
}
