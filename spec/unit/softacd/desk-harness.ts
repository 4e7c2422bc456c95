import winston from 'winston';
import type { Draft, MessageType } from '../../../lib/messages';
import type { CallMediaControl } from '../../../stasis-app/ari/call-media';
import type { ChannelControl } from '../../../stasis-app/ari/channels';
import { DeskFeatures } from '../../../stasis-app/softacd/features';
import { Outbound } from '../../../stasis-app/softacd/outbound';
import { SoftAcdService, type SoftAcdPorts } from '../../../stasis-app/softacd/service';
import { TakeBack } from '../../../stasis-app/softacd/take-back';

/**
 * Plain-object ports for the desk-phone, outbound and take-back modules, wired as main.ts wires them:
 * what they asked of Asterisk (`asked`, in order) and what they reported (`emitted`).
 */
export function deskHarness(
  o: { gone?: Set<string>; unreachable?: Set<string>; softphones?: string[] } = {},
) {
  const gone = o.gone ?? new Set<string>();
  const asked: string[] = [];
  const emitted: Array<Draft<MessageType>> = [];
  const step = (line: string, ok = true) => {
    asked.push(line);
    return Promise.resolve(ok);
  };
  const channels: ChannelControl = {
    media: () => Promise.resolve('audio'),
    move: (id, app, args) => step(`move ${id} ${app} ${args.join(',')}`, !gone.has(id)),
    hangup: async (id, reason) => {
      await step(`hangup ${id}${reason === undefined ? '' : ` ${reason}`}`);
    },
    answer: (id) => step(`answer ${id}`, !gone.has(id)),
    tag: (id) => Promise.resolve(!gone.has(id)),
    follow: (_app, id) => Promise.resolve(!gone.has(id)),
    originate: (x) => {
      asked.push(`originate ${x.endpoint} ${x.channelId} ${x.args.join(',')} ${x.timeoutSec}`);
      return o.unreachable?.has(x.endpoint)
        ? Promise.reject(new Error('Allocation failed'))
        : Promise.resolve();
    },
    bridge: (b, ids) => step(`bridge ${b} ${ids.join('+')}`, !ids.some((id) => gone.has(id))),
    destroyBridge: async (b) => {
      await step(`destroy ${b}`);
    },
  };
  const callMedia: CallMediaControl = {
    startMoh: (id, cls) => step(`moh ${id} ${cls}`, !gone.has(id)),
    stopMoh: (id) => step(`unmoh ${id}`, !gone.has(id)),
    play: (id, pb, media) => step(`play ${id} ${pb} ${media.join(',')}`, !gone.has(id)),
    stopPlayback: (pb) => step(`stop ${pb}`),
    removeFromBridge: (b, id) => step(`remove ${b} ${id}`, !gone.has(id)),
    addToBridge: (b, id) => step(`add ${b} ${id}`, !gone.has(id)),
    recordChannel: () => Promise.resolve(true),
  };
  const ports: SoftAcdPorts = {
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
    releaseIvr: () => Promise.resolve(),
    handoverTimeoutMs: 60_000,
  };
  const svc = new SoftAcdService(ports);
  const takeBack = new TakeBack(svc, {
    ...ports,
    isSoftphone: (endpoint) => Promise.resolve((o.softphones ?? []).includes(endpoint)),
  });
  const outbound: Outbound = new Outbound(svc, {
    ...ports,
    speakThenHangUp: (id: string, prompt: string): Promise<void> => desk.speakThenHangUp(id, prompt),
  });
  const desk: DeskFeatures = new DeskFeatures(
    { ...ports, resultTimeoutMs: 50, promptTimeoutMs: 20 },
    outbound,
  );
  return { svc, takeBack, outbound, desk, asked, emitted, types: () => emitted.map((e) => e.type) };
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

/** A call with agent a1 on leg `agentLeg` (PJSIP/agent1001 or as given), talking in its bridge. */
export async function talking(h: ReturnType<typeof deskHarness>, endpoint = 'PJSIP/agent1001') {
  await h.svc.callArrived({
    channelId: 'c1',
    callingNumber: '5551',
    callingName: 'Ann',
    calledNumber: '200',
  });
  const contactId = h.emitted[0]!.contactId;
  await h.svc.routeSelect({ ...envelope(contactId), type: 'RouteSelect', destination: { kind: 'ivr' } });
  await h.svc.divertCall({
    ...envelope(contactId),
    type: 'DivertCall',
    agentId: 'a1',
    endpoint,
    ringTimeoutSec: 5,
  });
  const agentLeg = h.svc.calls.byContactId(contactId)!.agentChannelId!;
  await h.svc.agentAnswered(agentLeg);
  await h.svc.callerReturned('c1');
  return { contactId, agentLeg };
}
