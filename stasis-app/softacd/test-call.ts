import { contactLogger, errorText } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import type { SoftAcdPorts } from './call-context';
import type { SoftAcdService } from './service';

/** The Stasis argument of a test call's leg; the dialplan's first argument is always a number. */
export const FLOW_TEST_ARG = 'flowtest';

interface Ringing {
  contactId: string;
  testCallId: string;
  calledNumber: string;
  endpoint: string;
  createdAt: number;
}

export type TestCallPorts = Pick<SoftAcdPorts, 'channels' | 'log' | 'softacdApp'>;

/**
 * The flow editor's test call (FlowTestCall from the AS, docs/flow-editor.md): the administrator's
 * phone is rung into this app; once answered it is a caller of the flow's number like any other
 * (CallDelivered, RouteRequest), whose route to the IVR carries the test-call id (arrival.ts), so the
 * IVR runs the draft the AS stored under it. Ringing legs are kept by channel id until answered or
 * gone; `sweep` is the safety net for an end that never came.
 */
export class FlowTestCalls {
  private readonly ringing = new Map<string, Ringing>();

  constructor(
    private readonly svc: Pick<SoftAcdService, 'callArrived' | 'calls'>,
    private readonly ports: TestCallPorts,
  ) {}

  static channelIdOf(contactId: string): string {
    return `${contactId}-flowtest`;
  }

  async dial(command: MessageOf<'FlowTestCall'>): Promise<void> {
    const log = contactLogger(this.ports.log, command.contactId);
    const channelId = FlowTestCalls.channelIdOf(command.contactId);
    if (this.ringing.has(channelId) || this.svc.calls.byContactId(command.contactId) !== undefined) {
      log.info('flow test call already under way (redelivered)');
      return;
    }
    this.ringing.set(channelId, {
      contactId: command.contactId,
      testCallId: command.testCallId,
      calledNumber: command.calledNumber,
      endpoint: command.endpoint,
      createdAt: Date.now(),
    });
    try {
      await this.ports.channels.originate({
        channelId,
        endpoint: command.endpoint,
        app: this.ports.softacdApp,
        args: [FLOW_TEST_ARG, command.contactId],
        timeoutSec: command.ringTimeoutSec,
        callerId: `"Flow test" <${command.calledNumber}>`,
      });
    } catch (err) {
      // An unregistered softphone: Asterisk refuses the originate at once.
      this.ringing.delete(channelId);
      log.warn('flow test call: phone unreachable', { endpoint: command.endpoint, error: errorText(err) });
      return;
    }
    log.info('flow test call ringing', {
      endpoint: command.endpoint,
      calledNumber: command.calledNumber,
      testCallId: command.testCallId,
      requestedBy: command.requestedBy,
    });
  }

  /** The administrator answered: from here the call is an ordinary arrival for the flow's number. */
  async answered(channelId: string): Promise<void> {
    const leg = this.ringing.get(channelId);
    if (leg === undefined) {
      this.ports.log.warn('test call leg unknown (expired or a restart); hanging up', { channelId });
      await this.ports.channels.hangup(channelId);
      return;
    }
    this.ringing.delete(channelId);
    contactLogger(this.ports.log, leg.contactId).info('flow test call answered', {
      endpoint: leg.endpoint,
      testCallId: leg.testCallId,
    });
    await this.svc.callArrived({
      channelId,
      callingNumber: 'flow-test',
      callingName: 'Flow test',
      calledNumber: leg.calledNumber,
      media: 'audio',
      flowTest: { contactId: leg.contactId, testCallId: leg.testCallId },
    });
  }

  /** A leg that ended before it was answered (declined, no answer): forgotten. */
  gone(channelId: string, cause: number): void {
    const leg = this.ringing.get(channelId);
    if (leg === undefined) return;
    this.ringing.delete(channelId);
    contactLogger(this.ports.log, leg.contactId).info('flow test call not answered', { cause });
  }

  /** Legs older than `maxAgeMs` (their end never came): forgotten; answers their contact ids. */
  sweep(now: number, maxAgeMs: number): string[] {
    const stale: string[] = [];
    for (const [channelId, leg] of this.ringing) {
      if (now - leg.createdAt < maxAgeMs) continue;
      this.ringing.delete(channelId);
      stale.push(leg.contactId);
    }
    return stale;
  }

  get size(): number {
    return this.ringing.size;
  }
}
