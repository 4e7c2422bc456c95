import type { TaskChannel } from './types';

/** A queue as ISAG reads it from the store: its name (the queue id everywhere), channel and addresses. */
export interface QueueAddressing {
  name: string;
  channel?: string;
  addresses?: readonly string[];
}

/**
 * The key an address is looked up by: e-mail addresses lower-cased and without angle brackets; numbers
 * (SMS, fax) with spaces, dashes, dots and parentheses removed, keeping a leading `+`.
 */
export function addressKey(channel: TaskChannel, address: string): string {
  const trimmed = address.trim().replace(/^<(.*)>$/, '$1');
  if (channel === 'email') return trimmed.toLowerCase();
  return trimmed.replace(/[\s().-]/g, '');
}

export interface AddressConflict {
  address: string;
  queues: [string, string];
}

/**
 * Address -> queue, per channel, from the queues' `addresses` (the AS keeps them unique across queues;
 * should two queues still name one address, the first by name wins and the conflict is reported).
 * A queue without `channel` is a voice queue and takes no messages.
 */
export class AddressDirectory {
  private readonly byChannel = new Map<string, Map<string, string>>();
  readonly conflicts: AddressConflict[] = [];

  constructor(queues: readonly QueueAddressing[]) {
    const sorted = [...queues].sort((a, b) => a.name.localeCompare(b.name));
    for (const q of sorted) {
      const channel = q.channel ?? 'voice';
      if (channel !== 'email' && channel !== 'sms' && channel !== 'fax') continue;
      let map = this.byChannel.get(channel);
      if (map === undefined) {
        map = new Map();
        this.byChannel.set(channel, map);
      }
      for (const a of q.addresses ?? []) {
        const key = addressKey(channel, a);
        if (key === '') continue;
        const holder = map.get(key);
        if (holder !== undefined && holder !== q.name) {
          this.conflicts.push({ address: key, queues: [holder, q.name] });
          continue;
        }
        map.set(key, q.name);
      }
    }
  }

  /** The queue of one address on a channel, or undefined. */
  queueOf(channel: TaskChannel, address: string): string | undefined {
    return this.byChannel.get(channel)?.get(addressKey(channel, address));
  }

  /** The first of `addresses` (in order) that has a queue, with that queue. */
  route(
    channel: TaskChannel,
    addresses: readonly string[],
  ): { address: string; queueId: string } | undefined {
    for (const address of addresses) {
      const queueId = this.queueOf(channel, address);
      if (queueId !== undefined) return { address, queueId };
    }
    return undefined;
  }

  /** Every address of one channel that has a queue, as its key, sorted (the fax numbers' dialplan). */
  addresses(channel: TaskChannel): string[] {
    return [...(this.byChannel.get(channel)?.keys() ?? [])].sort();
  }

  get size(): number {
    let n = 0;
    for (const m of this.byChannel.values()) n += m.size;
    return n;
  }
}
