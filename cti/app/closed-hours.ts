import { type Admission, type ClosedAction, type QueueGate, admit } from '../../lib/hours/closed-route';
import type { Schedule } from '../../lib/hours/schedule';
import { type Logger, contactLogger, errorText } from '../../lib/log';
import type { Draft } from '../../lib/messages';
import type { InteractionDoc, TimelineEntry } from '../store/interactions';

/** A stored schedule as CTI reads it (as/models/business-hours.ts). */
export interface StoredSchedule {
  name: string;
  hours: Schedule;
  action: ClosedAction;
  queues: readonly string[];
}

export interface ClosedHoursPorts {
  /** Every schedule in the store. */
  load: () => Promise<StoredSchedule[]>;
  /** The IVR instance holding the call, if any. */
  ivrOf: (contactId: string) => string | undefined;
  toIvr: (ivr: string, draft: Draft<'QueueClosed'>) => Promise<void>;
  record: (contactId: string, entry: TimelineEntry, set?: Partial<InteractionDoc>) => Promise<void>;
  /** Whether CTI knows the queue (a closed action may name one deleted since). */
  queueExists?: (queue: string) => boolean;
  log: Logger;
  now?: () => Date;
}

/**
 * Business hours in routing (docs/business-hours.md). When the IVR asks for an agent of a queue, CTI
 * decides where the caller goes: the queue asked for while it is open; while it is closed, its
 * schedule's closed action: another queue (queued there at once), or a prompt or voicemail, which the
 * IVR holding the call carries out (QueueClosed). The schedules are read from the store at start and
 * again on each ConfigChanged of entity `hours`: a change applies to the next call, without a restart.
 */
export class ClosedHours {
  private gates = new Map<string, QueueGate>();
  /** One reload at a time, in arrival order. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly ports: ClosedHoursPorts) {}

  get size(): number {
    return this.gates.size;
  }

  reload(): Promise<void> {
    const run = this.chain.then(async () => {
      const schedules = await this.ports.load();
      const gates = new Map<string, QueueGate>();
      for (const s of schedules)
        for (const queue of s.queues)
          gates.set(queue, { schedule: s.name, hours: s.hours, action: s.action });
      this.gates = gates;
      this.ports.log.info('business hours loaded', { schedules: schedules.length, queues: gates.size });
    });
    this.chain = run.catch((err: unknown) =>
      this.ports.log.error('business hours reload failed', { error: errorText(err) }),
    );
    return run;
  }

  /**
   * The queue to put the caller in, or null when the queue is closed and the IVR was told what to do
   * instead. Every closed queue passed over is on the contact's timeline (QueueClosed). Never throws: a
   * failure here must not lose the caller, who is then queued as asked.
   */
  async route(contactId: string, queue: string): Promise<string | null> {
    try {
      return await this.decide(contactId, queue);
    } catch (err) {
      contactLogger(this.ports.log, contactId).error('business hours failed; queued as asked', {
        queueId: queue,
        error: errorText(err),
      });
      return queue;
    }
  }

  private async decide(contactId: string, queue: string): Promise<string | null> {
    const now = (this.ports.now ?? (() => new Date()))();
    const decision = admit(queue, this.gates, now, this.ports.queueExists);
    const log = contactLogger(this.ports.log, contactId);
    const at = new Date();
    for (const p of decision.passed)
      await this.ports.record(contactId, {
        at,
        type: 'QueueClosed',
        data: { queueId: p.queue, schedule: p.schedule, action: 'queue' },
      });
    if (decision.kind === 'queue') {
      if (decision.passed.length > 0)
        log.info('queue closed: caller sent on', { queueId: queue, to: decision.queue });
      return decision.queue;
    }
    await this.toIvr(contactId, decision, at, log);
    return null;
  }

  private async toIvr(
    contactId: string,
    d: Extract<Admission, { kind: 'prompt' | 'voicemail' }>,
    at: Date,
    log: Logger,
  ): Promise<void> {
    const prompt = d.prompt;
    // The contact belongs to the closed queue: its history (and a voicemail) shows under that queue.
    await this.ports.record(
      contactId,
      {
        at,
        type: 'QueueClosed',
        data: { queueId: d.queue, schedule: d.schedule, action: d.kind, ...(prompt && { prompt }) },
      },
      { queueId: d.queue },
    );
    const ivr = this.ports.ivrOf(contactId);
    if (ivr === undefined) {
      log.warn('queue closed but no IVR holds the call', { queueId: d.queue });
      return;
    }
    log.info('queue closed', { queueId: d.queue, schedule: d.schedule, action: d.kind });
    await this.ports.toIvr(ivr, {
      type: 'QueueClosed',
      contactId,
      queueId: d.queue,
      schedule: d.schedule,
      action: d.kind,
      ...(prompt !== undefined && { prompt }),
    });
  }
}
