import {
  parseSupervisorMessage,
  type SupervisorClientMessage,
  type SupervisorServerMessage,
} from '../domain/wallboard';
import {
  ReconnectingSocket,
  type CloseRule,
  type SocketDeps,
  type SocketProtocol,
  type SocketStatus,
} from './reconnecting-socket';

/** CTI's close codes on the supervisor socket (cti/agent-gateway/admission.ts, cti/supervisor/gateway.ts). */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_NOT_SUPERVISOR = 4403;

/** `forbidden`: the token is an agent's: this socket is not for it (never retried). */
export type SupervisorConnection = SocketStatus<'forbidden'>;

export type SupervisorSocketDeps = SocketDeps<SupervisorServerMessage, 'forbidden'>;

/** What the wallboard does on each close code (others: reconnect with backoff). */
const CLOSE_CODES = new Map<number, CloseRule<'forbidden'>>([
  [CLOSE_NOT_SUPERVISOR, { then: 'end', status: 'forbidden' }],
  [CLOSE_UNAUTHENTICATED, { then: 'refresh-then-reconnect' }],
]);

const SUPERVISOR_PROTOCOL: SocketProtocol<SupervisorServerMessage, 'forbidden'> = {
  name: 'supervisor socket',
  parse: parseSupervisorMessage,
  auth: (token) => ({ type: 'auth', token }),
  closeCodes: CLOSE_CODES,
};

/**
 * The wallboard's connection to CTI's supervisor socket: authenticates with the console's token,
 * reconnects by itself and refreshes the token like the desktop's (reconnecting-socket.ts).
 */
export class SupervisorSocket extends ReconnectingSocket<
  SupervisorServerMessage,
  SupervisorClientMessage,
  'forbidden'
> {
  constructor(deps: SupervisorSocketDeps) {
    super(deps, SUPERVISOR_PROTOCOL);
  }
}
