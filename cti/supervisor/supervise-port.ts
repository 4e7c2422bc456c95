/**
 * What the supervisor socket (cti/supervisor/) asks of call supervision (monitor, whisper, barge),
 * kept as a port so the socket and the ARI-side feature are built and tested apart. The supervisor is
 * whoever the socket's token names; `device` is the supervisor's phone that is rung for the session.
 */
export type SuperviseMode = 'listen' | 'whisper' | 'barge';

export interface SuperviseRequest {
  supervisorId: string;
  /** The agent whose current call is supervised (the supervisor's queues must include its queue). */
  agentId: string;
  mode: SuperviseMode;
  device: 'softphone' | 'desk';
}

export type SuperviseResult =
  | { ok: true; sessionId: string; agentId: string; contactId: string; mode: SuperviseMode }
  | { ok: false; reason: string };

export interface SupervisePort {
  start(req: SuperviseRequest): Promise<SuperviseResult>;
  /** Switch a running session between listen, whisper and barge without ringing again. */
  change(supervisorId: string, sessionId: string, mode: SuperviseMode): Promise<SuperviseResult>;
  stop(supervisorId: string, sessionId: string): Promise<SuperviseResult>;
}

/** Until supervision is wired in, every request is refused with this reason. */
export const NO_SUPERVISION: SupervisePort = {
  start: () => Promise.resolve({ ok: false, reason: 'call supervision is not available' }),
  change: () => Promise.resolve({ ok: false, reason: 'call supervision is not available' }),
  stop: () => Promise.resolve({ ok: false, reason: 'call supervision is not available' }),
};
