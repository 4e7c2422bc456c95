import winston from 'winston';
import type { Draft, MessageType } from '../../../lib/messages';
import type { CallMediaControl } from '../../../stasis-app/ari/call-media';
import type { ChannelControl } from '../../../stasis-app/ari/channels';
import { SoftAcdService } from '../../../stasis-app/softacd/service';

/**
 * SoftACD's service over plain-object ports (no Asterisk, no bus): the harness and the calls the
 * service specs start from (service.spec.ts, hold-transfer.spec.ts, consult-conference.spec.ts,
 * recording.spec.ts).
 */
type Emitted = Draft<MessageType>;

/** Plain-object ports: what SoftACD asked Asterisk to do and what it reported, in order. */
export function harness(
  opts: { gone?: Set<string>; media?: 'audio' | 'audio+video'; unreachable?: Set<string> } = {},
) {
  const gone = opts.gone ?? new Set<string>();
  const asked: string[] = [];
  const emitted: Emitted[] = [];
  const channels: ChannelControl = {
    media: (id) => {
      asked.push(`media ${id}`);
      return Promise.resolve(gone.has(id) ? undefined : (opts.media ?? 'audio'));
    },
    move: (id, app, args) => {
      asked.push(`move ${id} ${app} ${args.join(',')}`);
      return Promise.resolve(!gone.has(id));
    },
    hangup: (id) => {
      asked.push(`hangup ${id}`);
      return Promise.resolve();
    },
    answer: () => Promise.resolve(true),
    tag: (id, value) => {
      asked.push(`tag ${id} ${value}`);
      return Promise.resolve(!gone.has(id));
    },
    follow: (_app, id) => Promise.resolve(!gone.has(id)),
    originate: (o) => {
      asked.push(
        `originate ${o.endpoint} ${o.channelId} ${o.timeoutSec}${o.originator ? ` for ${o.originator}` : ''}`,
      );
      if (opts.unreachable?.has(o.endpoint)) return Promise.reject(new Error('Allocation failed'));
      return Promise.resolve();
    },
    bridge: (b, ids) => {
      asked.push(`bridge ${b} ${ids.join('+')}`);
      return Promise.resolve(true);
    },
    destroyBridge: (b) => {
      asked.push(`destroy ${b}`);
      return Promise.resolve();
    },
  };
  const step = (line: string, ok: boolean) => {
    asked.push(line);
    return Promise.resolve(ok);
  };
  const callMedia: CallMediaControl = {
    startMoh: (id, cls) => step(`moh ${id} ${cls}`, !gone.has(id)),
    stopMoh: (id) => step(`unmoh ${id}`, !gone.has(id)),
    play: (id, pb, media) => step(`play ${id} ${pb} ${media[0]} x${media.length}`, !gone.has(id)),
    stopPlayback: (pb) => step(`stop ${pb}`, true),
    removeFromBridge: (b, id) => step(`remove ${b} ${id}`, !gone.has(id)),
    addToBridge: (b, id) => step(`add ${b} ${id}`, !gone.has(id)),
    recordChannel: (o) =>
      step(
        `record ${o.channelId} via ${o.snoopId} ${o.app} ${o.appArgs.join(',')} ${o.format}`,
        !gone.has(o.channelId),
      ),
  };
  const svc = new SoftAcdService({
    channels,
    callMedia,
    emit: <T extends MessageType>(d: Draft<T>) => {
      emitted.push(d);
      return Promise.resolve();
    },
    log: winston.createLogger({ silent: true }),
    instanceId: 'softacd-t',
    ivrApp: 'ivr',
    softacdApp: 'softacd',
    releaseIvr: (d) => {
      emitted.push(d);
      return Promise.resolve();
    },
    handoverTimeoutMs: 60_000,
  });
  return { svc, asked, emitted, types: () => emitted.map((e) => e.type) };
}

export const incoming = {
  channelId: 'c1',
  callingNumber: '+15551230000',
  callingName: 'Ann',
  calledNumber: '200',
};

/** A call in the IVR whose agent (a1) is ringing. */
export async function ringingCall() {
  const h = harness();
  await h.svc.callArrived(incoming);
  const contactId = h.emitted[0]!.contactId;
  await h.svc.routeSelect({ ...envelope(contactId), type: 'RouteSelect', destination: { kind: 'ivr' } });
  await h.svc.divertCall({
    ...envelope(contactId),
    type: 'DivertCall',
    agentId: 'a1',
    endpoint: 'PJSIP/agent1001',
    ringTimeoutSec: 5,
  });
  const leg = h.svc.calls.byContactId(contactId)!.agentChannelId!;
  return { h, contactId, leg };
}

export async function talkingCall(opts: { media?: 'audio' | 'audio+video'; unreachable?: Set<string> } = {}) {
  const h = harness(opts);
  await h.svc.callArrived(incoming);
  const contactId = h.emitted[0]!.contactId;
  await h.svc.routeSelect({
    ...envelope(contactId),
    type: 'RouteSelect',
    destination: { kind: 'queue', queueId: 'sales' },
  });
  await h.svc.divertCall({
    ...envelope(contactId),
    type: 'DivertCall',
    agentId: 'a1',
    endpoint: 'PJSIP/agent1001',
    ringTimeoutSec: 15,
  });
  const agentLeg = h.svc.calls.byContactId(contactId)!.agentChannelId!;
  await h.svc.agentRinging(agentLeg);
  await h.svc.agentAnswered(agentLeg);
  await h.svc.callerReturned('c1');
  return { ...h, contactId, agentLeg };
}

export function envelope(contactId: string) {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    contactId,
    source: { service: 'cti' as const, instance: 'cti-t' },
    at: new Date().toISOString(),
    v: 1 as const,
  };
}
/** The envelope of a command from CTI on behalf of agent a1. */
export const cmd = (contactId: string) => ({ ...envelope(contactId), agentId: 'a1' });

/** The agent a consultation or an agent transfer names. */
export const consultTarget = {
  kind: 'agent' as const,
  agentId: 'a2',
  endpoint: 'PJSIP/agent1002',
  ringTimeoutSec: 20,
};
