import type { Contact } from './contact';
import { formatDuration } from './timing';

/**
 * The screen pop's view-model: what the page shows of an offered contact, from CTI's offer and the
 * AS's screen pop (GET /api/v1/screen-pop/{contactId}). Text comes from the caller (strings module);
 * this module decides what is shown, not how it is worded.
 */
export type MediaKind = 'video' | 'voice';

export function mediaKind(media: string | undefined): MediaKind {
  return media !== undefined && /video/i.test(media) ? 'video' : 'voice';
}

/** How long the caller waited in the queue before the offer; undefined without `enteredAt`. */
export function waitMs(contact: Pick<Contact, 'enteredAt' | 'offeredAt'>): number | undefined {
  if (contact.enteredAt === undefined) return undefined;
  return Math.max(0, contact.offeredAt - contact.enteredAt);
}

export function waitText(contact: Pick<Contact, 'enteredAt' | 'offeredAt'>): string | undefined {
  const ms = waitMs(contact);
  return ms === undefined ? undefined : formatDuration(ms);
}

export interface CustomerView {
  id: string;
  name: string;
  phones: string[];
  emails: string[];
  notes?: string;
  custom: Array<{ key: string; value: string }>;
}

export interface HistoryItem {
  id: string;
  at?: string;
  channel?: string;
  direction?: string;
  disposition?: string;
  state?: string;
}

export interface ScreenPopView {
  customer?: CustomerView;
  candidates: CustomerView[];
  /** What the caller entered in the IVR (forms submitted by its flow), in order. */
  ivr: Array<{ key: string; value: string }>;
  history: HistoryItem[];
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

export function customerView(raw: unknown): CustomerView | undefined {
  const c = obj(raw);
  const id = str(c.id);
  if (id === undefined) return undefined;
  const name = [str(c.firstName), str(c.lastName)].filter((x) => x !== undefined).join(' ');
  const custom = Object.entries(obj(c.custom))
    .map(([key, v]) => ({ key, value: scalar(v) }))
    .filter((e): e is { key: string; value: string } => e.value !== undefined);
  const notes = str(c.notes);
  return {
    id,
    name,
    phones: strings(c.phones),
    emails: strings(c.emails),
    ...(notes === undefined ? {} : { notes }),
    custom,
  };
}

export function screenPopView(raw: unknown): ScreenPopView {
  const r = obj(raw);
  const contact = obj(r.contact);
  const timeline = Array.isArray(contact.timeline) ? contact.timeline : [];
  const ivr: Array<{ key: string; value: string }> = [];
  for (const entry of timeline) {
    const e = obj(entry);
    if (e.type !== 'FormSubmitted') continue;
    for (const [key, v] of Object.entries(obj(obj(e.data).fields))) {
      const value = scalar(v);
      if (value !== undefined) ivr.push({ key, value });
    }
  }
  const history = (Array.isArray(r.history) ? r.history : []).map((h): HistoryItem => {
    const o = obj(h);
    const item: HistoryItem = { id: str(o.id) ?? '' };
    const at = str(o.createdAt) ?? str(o.queuedAt);
    if (at !== undefined) item.at = at;
    for (const k of ['channel', 'direction', 'disposition', 'state'] as const) {
      const v = str(o[k]);
      if (v !== undefined) item[k] = v;
    }
    return item;
  });
  const customer = customerView(r.customer);
  return {
    ...(customer === undefined ? {} : { customer }),
    candidates: (Array.isArray(r.candidates) ? r.candidates : [])
      .map(customerView)
      .filter((c): c is CustomerView => c !== undefined),
    ivr,
    history,
  };
}

/** The caller as the pop's heading names it: the customer record's name, else CTI's caller name. */
export function callerTitle(contact: Contact, pop: ScreenPopView | undefined): string | undefined {
  const name = pop?.customer?.name;
  return name !== undefined && name !== '' ? name : contact.callingName;
}
