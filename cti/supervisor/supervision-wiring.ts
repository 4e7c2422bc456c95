import { randomUUID } from 'node:crypto';
import { errorText, type Logger } from '../../lib/log';
import type { Draft, MessageType } from '../../lib/messages';
import type { ContactOwners } from '../app/owners';
import type { RoutingService } from '../app/routing';
import { Supervision } from '../app/supervise';
import { storedSupervisor, writeSuperviseAudit } from '../app/supervise-directory';
import { supervisorGateway, type GatewayParts } from './compose';
import type { SupervisorGateway } from './gateway';

/** Sessions whose end never came (a lost SoftACD event) are forgotten after this long. */
const STALE_SESSION_MS = 12 * 3600_000;

export interface SupervisionParts extends Omit<GatewayParts, 'supervise'> {
  routing: RoutingService;
  owners: Pick<ContactOwners, 'softacd'>;
  /** Sends a command to a SoftACD instance (CTI's bus). */
  command: <T extends MessageType>(softacd: string, draft: Draft<T>) => Promise<void>;
  log: Logger;
}

/**
 * Call supervision (monitor, whisper, barge; docs/supervise.md) and the supervisor socket it answers
 * to, built together: a session's unrequested end is pushed to the supervisor's sockets, and the
 * socket's requests go to the sessions.
 */
export function callSupervision(p: SupervisionParts): {
  supervision: Supervision;
  supervisors: SupervisorGateway;
  stop: () => void;
} {
  const { routing } = p;
  const holder: { gateway?: SupervisorGateway } = {};
  const supervision = new Supervision({
    supervisor: storedSupervisor,
    agentCall: (agentId) => {
      const contactId = routing.agentStatus(agentId)?.contactId;
      const contact = contactId === undefined ? undefined : routing.contact(contactId);
      if (contactId === undefined || contact === undefined || contact.agentId !== agentId) return undefined;
      return { contactId, queueId: contact.queueId, state: contact.state };
    },
    softacd: (contactId) => p.owners.softacd(contactId),
    command: (softacd, draft) => p.command(softacd, draft),
    audit: writeSuperviseAudit,
    newSessionId: randomUUID,
    ringTimeoutSec: 30,
    answerTimeoutMs: 5_000,
    // Called only once a session ends, long after the gateway below exists.
    ended: (personId, ended) => holder.gateway?.supervisionEnded(personId, ended),
    log: p.log,
  });
  const sweep = setInterval(() => {
    supervision
      .sweep(Date.now(), STALE_SESSION_MS)
      .then((stale) => p.log.info('supervision sessions', { live: supervision.size, swept: stale.length }))
      .catch((err: unknown) => p.log.error('supervision sweep failed', { error: errorText(err) }));
  }, 60_000);
  sweep.unref();
  const supervisors = supervisorGateway({ ...p, supervise: supervision });
  holder.gateway = supervisors;
  return {
    supervision,
    supervisors,
    stop: () => {
      clearInterval(sweep);
      supervisors.stop();
    },
  };
}
