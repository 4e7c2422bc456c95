import {
  type Queue,
  type QueueChannel,
  type QueueInput,
  SELECTION_POLICIES,
  TIMEOUT_ACTIONS,
} from '../../../adapters/admin-api';
import { compact, numberOrText, textOrNothing } from './form-errors';

/**
 * The queue form covers every field of as/models/queue.ts (name, skills with minimum levels, priority,
 * selection policy, ring/wrap-up/queue timeouts, timeout action, fallback queue, service level, waiting
 * media, recording, channel and addresses); inputs hold text, the AS judges the values. A task queue's
 * service level is typed in hours (tasks are answered in hours, not seconds) and sent in seconds.
 */
export const QUEUE_NUMBERS = [
  'priority',
  'ringTimeoutSec',
  'wrapUpSec',
  'queueTimeoutSec',
  'serviceLevelSec',
] as const;
export type QueueNumber = (typeof QUEUE_NUMBERS)[number];

export interface QueueForm {
  name: string;
  channel: QueueChannel;
  /** The channel the AS has (undefined: a new queue, or one stored before queues had a channel). */
  storedChannel?: QueueChannel;
  /** Comma-separated, as typed. */
  addresses: string;
  skills: { name: string; minLevel: string }[];
  numbers: Record<QueueNumber, string>;
  selectionPolicy: (typeof SELECTION_POLICIES)[number];
  timeoutAction: (typeof TIMEOUT_ACTIONS)[number];
  fallbackQueue: string;
  music: string;
  video: string;
  recording: boolean;
}

export const QUEUE_FIELD_PATHS = [
  'name',
  'channel',
  'addresses',
  ...QUEUE_NUMBERS,
  'selectionPolicy',
  'timeoutAction',
  'fallbackQueue',
  'media.music',
  'media.video',
  'recording',
  ...Array.from({ length: 20 }, (_, i) => [`skills.${i}.name`, `skills.${i}.minLevel`]).flat(),
  'skills',
];

const HOUR_SEC = 3600;

export function isTaskChannel(channel: QueueChannel): boolean {
  return channel !== 'voice';
}

/** The model's defaults (as/models/queue.ts) for a queue of the channel. */
export function emptyQueueForm(channel: QueueChannel = 'voice'): QueueForm {
  const task = isTaskChannel(channel);
  return {
    name: '',
    channel,
    addresses: '',
    skills: [],
    numbers: {
      priority: '0',
      ringTimeoutSec: task ? '60' : '20',
      wrapUpSec: task ? '0' : '10',
      queueTimeoutSec: task ? '0' : '300',
      serviceLevelSec: task ? '4' : '20',
    },
    selectionPolicy: 'longest-idle',
    timeoutAction: task ? 'release' : 'voicemail',
    fallbackQueue: '',
    music: '',
    video: '',
    recording: false,
  };
}

export function queueFormOf(q: Queue): QueueForm {
  const channel = q.channel ?? 'voice';
  const numbers = Object.fromEntries(QUEUE_NUMBERS.map((k) => [k, String(q[k])])) as Record<
    QueueNumber,
    string
  >;
  if (isTaskChannel(channel)) numbers.serviceLevelSec = String(q.serviceLevelSec / HOUR_SEC);
  return {
    name: q.name,
    channel,
    ...(q.channel !== undefined && { storedChannel: q.channel }),
    addresses: (q.addresses ?? []).join(', '),
    skills: q.skills.map((s) => ({ name: s.name, minLevel: String(s.minLevel) })),
    numbers,
    selectionPolicy: q.selectionPolicy,
    timeoutAction: q.timeoutAction,
    fallbackQueue: q.fallbackQueue ?? '',
    music: q.media?.music ?? '',
    video: q.media?.video ?? '',
    recording: q.recording,
  };
}

/** The body of a create (with the name) or an update (the name is the queue's identity: never sent). */
export function queueInputOf(form: QueueForm, creating: boolean): QueueInput {
  const media = compact({ music: textOrNothing(form.music), video: textOrNothing(form.video) });
  const task = isTaskChannel(form.channel);
  const switched = form.channel !== (form.storedChannel ?? 'voice');
  const numbers = { ...form.numbers };
  const hours = numberOrText(form.numbers.serviceLevelSec);
  if (task && typeof hours === 'number') numbers.serviceLevelSec = String(Math.round(hours * HOUR_SEC));
  const addresses = form.addresses
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const input: Record<string, unknown> = {
    ...(creating ? { name: form.name.trim() } : {}),
    // A call queue's body stays as it was before queues had channels; a change back to voice is sent.
    ...(task || switched ? { channel: form.channel } : {}),
    ...(task ? { addresses } : switched ? { addresses: [] } : {}),
    skills: form.skills.map((s) => ({ name: s.name.trim(), minLevel: numberOrText(s.minLevel) ?? '' })),
    ...compact(Object.fromEntries(QUEUE_NUMBERS.map((k) => [k, numberOrText(numbers[k])]))),
    selectionPolicy: form.selectionPolicy,
    timeoutAction: form.timeoutAction,
    ...(textOrNothing(form.fallbackQueue) !== undefined ? { fallbackQueue: form.fallbackQueue.trim() } : {}),
    ...(Object.keys(media).length > 0 ? { media } : {}),
    recording: form.recording,
  };
  return input;
}
