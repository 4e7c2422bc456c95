import { AppError, NotFoundError } from '../../errors';
import type { Caller } from '../../http/credentials';
import { Agent, DispositionCode, NotReadyReason, Queue } from '../../models';
import { endpointName, numberReasons, queueChannel, sipAccount } from '../../domain/desktop';
import type { DesktopSettings } from '../../settings';

/** Derives an agent phone's SIP password (the same function that writes Asterisk's configuration). */
export type SipPasswordOf = (secret: string, endpoint: string) => string;

/**
 * What the agent desktop reads once after sign-in: who the agent is, which devices it has, where CTI is,
 * and the lists its controls offer. Transfer targets are other active agents and every queue; CTI still
 * decides whether a transfer can go through.
 */
export class DesktopService {
  constructor(
    private readonly settings: Pick<
      DesktopSettings,
      'ctiUrl' | 'sipWsUrl' | 'sipHost' | 'agentSipSecret' | 'publicNumbers'
    >,
    private readonly sipPassword: SipPasswordOf,
  ) {}

  async desktop(caller: Caller) {
    const [me, reasons, codes, queues, others] = await Promise.all([
      Agent.findById(caller.id).select('login displayName roles endpoints').lean(),
      NotReadyReason.find().select('name label').lean(),
      DispositionCode.find().select('name label').sort({ name: 1 }).lean(),
      Queue.find().select('name media').sort({ name: 1 }).lean(),
      Agent.find({ _id: { $ne: caller.id }, active: { $ne: false }, roles: 'agent' })
        .select('login displayName')
        .sort({ login: 1 })
        .lean(),
    ]);
    if (!me) throw new NotFoundError('agent');
    return {
      agent: { id: me._id.toHexString(), login: me.login, displayName: me.displayName, roles: me.roles },
      devices: {
        softphone: endpointName(me.endpoints?.webrtc) !== undefined,
        desk: endpointName(me.endpoints?.sip) !== undefined,
      },
      ctiUrl: this.settings.ctiUrl,
      notReadyReasons: numberReasons(reasons.map((r) => ({ name: r.name, label: r.label }))),
      dispositionCodes: codes.map((c) => ({ name: c.name, label: c.label })),
      queues: queues.map((q) => ({ name: q.name, channel: queueChannel(q) })),
      agents: others.map((a) => ({ id: a._id.toHexString(), login: a.login, displayName: a.displayName })),
      publicNumbers: this.settings.publicNumbers,
    };
  }

  /** The softphone's SIP account; 404 for an agent without a browser endpoint. */
  async sip(caller: Caller) {
    const secret = this.settings.agentSipSecret;
    if (secret === undefined) throw new AppError('unavailable', 'softphone credentials are not configured');
    const me = await Agent.findById(caller.id).select('displayName endpoints').lean();
    if (!me) throw new NotFoundError('agent');
    const endpoint = endpointName(me.endpoints?.webrtc);
    if (endpoint === undefined) throw new NotFoundError('webrtc endpoint of this agent');
    return sipAccount(endpoint, me.displayName, this.settings, (name) => this.sipPassword(secret, name));
  }
}
