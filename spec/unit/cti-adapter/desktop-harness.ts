import winston from 'winston';
import { AgentGateway, type ClientSocket } from '../../../cti/agent-gateway/gateway';
import type { ServerMessage } from '../../../cti/agent-gateway/protocol';
import { ContactPhases } from '../../../cti/app/agent-status';
import { CallbackBook } from '../../../cti/app/callbacks';
import { DeskFeatures } from '../../../cti/app/desk-features';
import { DesktopService } from '../../../cti/app/desktop';
import { AgentPhones, DeviceChoices } from '../../../cti/app/devices';
import type { AgentContact } from '../../../cti/app/directory';
import { LostCalls, type LostCallDraft } from '../../../cti/app/lost-calls';
import { OutboundCalls } from '../../../cti/app/outbound';
import { ContactOwners } from '../../../cti/app/owners';
import { RoutingService, type Scheduler } from '../../../cti/app/routing';
import { createCtiDomain } from '../../../cti/domain';
import type { AgentStateStore } from '../../../cti/store/agent-states';
import type { InteractionStore } from '../../../cti/store/interactions';
import type { VerifiedToken } from '../../../lib/auth-token';
import type { Draft, MessageType } from '../../../lib/messages';

export const settle = () => new Promise((r) => setTimeout(r, 5));

/**
 * CTI's desktop parts wired as cti/main.ts wires them, over the real routing domain and gateway, with
 * the bus, the stores and the sockets in memory. Agents: a1 (softphone and desk), a2 (softphone only).
 * Tokens are `agentId` (valid, agent role, an hour).
 */
export function desktopHarness(o: { lostTimeoutMs?: number } = {}) {
  let now = 1_000_000;
  const domain = createCtiDomain({ clock: { now: () => now } });
  domain.addQueue({
    id: 'sales',
    channel: 'voice',
    skills: [{ name: 'sales', minLevel: 1 }],
    wrapUpMs: 5_000,
  });
  domain.addQueue({
    id: 'support',
    channel: 'voice',
    skills: [{ name: 'support', minLevel: 1 }],
    wrapUpMs: 0,
  });
  domain.addAgent({ id: 'a1', skills: { support: 3 } });
  domain.addAgent({ id: 'a2', skills: { sales: 3 } });
  const directory = new Map<string, AgentContact>([
    [
      'a1',
      {
        id: 'a1',
        login: '1001',
        endpoint: 'PJSIP/1001',
        endpoints: { softphone: 'PJSIP/webrtc1001', desk: 'PJSIP/1001' },
        callerIdNumber: '5551001',
      },
    ],
    [
      'a2',
      { id: 'a2', login: '1002', endpoint: 'PJSIP/webrtc1002', endpoints: { softphone: 'PJSIP/webrtc1002' } },
    ],
  ]);
  const devices = new DeviceChoices();
  const phones = new AgentPhones(directory, devices);
  const owners = new ContactOwners();
  const book = new CallbackBook();
  const sent: Array<{
    to: string;
    draft: { type: MessageType; contactId: string } & Record<string, unknown>;
  }> = [];
  const timeline: Array<{ contactId: string; type: string; set: Record<string, unknown> }> = [];
  const created: Array<Record<string, unknown>> = [];
  const timers = new Map<string, { dueAt: number; fire: () => void }>();
  const scheduler: Scheduler = {
    schedule: (id, dueAt, fire) => void timers.set(id, { dueAt, fire }),
    cancel: (id) => void timers.delete(id),
  };
  const log = winston.createLogger({ silent: true });
  const interactions = {
    record: (contactId: string, e: { type: string }, set: Record<string, unknown> = {}) => {
      timeline.push({ contactId, type: e.type, set });
      return Promise.resolve();
    },
    create: (doc: Record<string, unknown>, first: { type: string }) => {
      created.push(doc);
      timeline.push({ contactId: doc._id as string, type: first.type, set: {} });
      return Promise.resolve();
    },
  };
  const record = (to: string, draft: unknown) => {
    sent.push({ to, draft: draft as (typeof sent)[number]['draft'] });
    return Promise.resolve();
  };
  const gatewayRef: { gateway?: AgentGateway } = {};
  const routing = new RoutingService({
    notify: {
      agentChanged: (c) => {
        if (c.to === 'logged-out') devices.clear(c.agentId);
        gatewayRef.gateway?.agentChanged(c);
      },
      offered: (contactId, agentId, queueId, callback) =>
        gatewayRef.gateway?.offered(contactId, agentId, queueId, callback),
    },
    domain,
    interactions: interactions as unknown as InteractionStore,
    agentStates: { append: () => Promise.resolve() } as unknown as AgentStateStore,
    agents: phones,
    ringTimeoutSec: () => 15,
    owners,
    divert: record,
    toIvr: () => Promise.resolve(),
    scheduler,
    log,
  });
  const phases = new ContactPhases();
  const lost = new LostCalls({
    domain,
    owners,
    phones,
    devices,
    command: (softacd, draft: LostCallDraft) => record(softacd, draft),
    notify: {
      takenBack: (a, c) => gatewayRef.gateway?.takenBack(a, c),
      takeBackFailed: (a, c, r) => gatewayRef.gateway?.takeBackFailed(a, c, r),
    },
    timeoutMs: o.lostTimeoutMs ?? 60_000,
    ringTimeoutSec: 30,
    log,
  });
  const outbound = new OutboundCalls({
    domain,
    routing,
    owners,
    phones,
    queues: ['sales', 'support'],
    interactions: interactions,
    phases,
    persist: () => Promise.resolve(),
    defer: (w) => void w,
    command: record,
    softacd: () => owners.latestSoftacd ?? 'softacd-1',
    outsideDial: (n) => `PJSIP/${n}@outside`,
    customerRingTimeoutSec: 25,
    ringTimeoutSec: () => 15,
    notify: {
      offeredOutbound: (c, a, q, n) => gatewayRef.gateway?.offeredOutbound(c, a, q, n),
      callbackFailed: (a, c, r, retry) => gatewayRef.gateway?.callbackFailed(a, c, r, retry),
    },
    log,
  });
  const desktop = new DesktopService({
    domain,
    routing,
    phones,
    devices,
    status: { domain, owners, book, phones, devices, phases, recoverable: (id) => lost.recoverable(id) },
    lost,
    outbound,
    log,
  });
  const gateway = new AgentGateway({
    routing,
    owners,
    verifyToken: (token: string): VerifiedToken => ({
      sub: token,
      roles: ['agent'],
      ver: 0,
      exp: Math.floor(Date.now() / 1000) + 3600,
    }),
    accounts: { check: () => Promise.resolve(null), checkMany: () => Promise.resolve([]) },
    clearCall: () => Promise.resolve(),
    control: () => Promise.resolve(),
    recordAnswer: () => Promise.resolve(),
    reasons: { allows: () => true, list: () => ['break', 'lunch'] },
    desktop,
    log,
  });
  gatewayRef.gateway = gateway;
  const desk = new DeskFeatures({
    domain,
    routing,
    phones,
    devices,
    outbound,
    reasons: () => ['break', 'lunch'],
    serialize: (agentId, task) => gateway.serialized(agentId, task),
    reply: record,
    pushStatus: (agentId) => gateway.pushStatus(agentId),
    offeredOutbound: (c, a, q, n) => gateway.offeredOutbound(c, a, q, n),
    outsideDial: (n) => `PJSIP/${n}@outside`,
    customerRingTimeoutSec: 25,
    log,
  });
  const client = () => {
    const got: ServerMessage[] = [];
    const c: { got: ServerMessage[]; closed?: { code: number }; socket: ClientSocket } = {
      got,
      socket: {
        send: (m) => void got.push(m),
        close: (code) => {
          c.closed = { code };
          gateway.closed(c.socket);
        },
      },
    };
    const say = (m: unknown) => gateway.received(c.socket, JSON.stringify(m));
    const of = <T extends ServerMessage['type']>(type: T) =>
      got.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
    return Object.assign(c, { say, of, codes: () => of('error').map((m) => m.code) });
  };
  /** An inbound call owned by softacd-1, queued to `queueId` (routed at once to a ready agent). */
  const inbound = async (contactId: string, queueId: string) => {
    owners.setSoftacd(contactId, 'softacd-1');
    owners.setCaller(contactId, { callingNumber: '5550100', callingName: 'Ann', media: 'audio' });
    await routing.contactQueued(contactId, queueId);
  };
  const commands = <T extends MessageType>(type: T) =>
    sent.filter((s) => s.draft.type === type) as Array<{
      to: string;
      draft: Draft<T> & Record<string, unknown>;
    }>;
  return {
    domain,
    routing,
    owners,
    devices,
    phones,
    phases,
    lost,
    outbound,
    desk,
    gateway,
    sent,
    commands,
    timeline,
    created,
    timers,
    client,
    inbound,
    advance: (ms: number) => {
      now += ms;
      for (const [id, t] of [...timers])
        if (t.dueAt <= now) {
          timers.delete(id);
          t.fire();
        }
    },
    now: () => now,
  };
}

export type DesktopHarness = ReturnType<typeof desktopHarness>;
