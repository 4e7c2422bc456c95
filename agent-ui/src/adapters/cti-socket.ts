import {
  CLOSE_SUPERSEDED,
  CLOSE_UNAUTHENTICATED,
  parseServerMessage,
  type ClientMessage,
  type ServerMessage,
} from '../domain/interface-a';
import {
  ReconnectingSocket,
  type CloseRule,
  type SocketDeps,
  type SocketProtocol,
  type SocketStatus,
} from './reconnecting-socket';

/** `superseded`: another tab of the agent took over; this one never reconnects. */
export type ConnectionStatus = SocketStatus<'superseded'>;

export type CtiSocketDeps = SocketDeps<ServerMessage, 'superseded'>;

/** Interface A's close codes and what the desktop does on each (others: reconnect with backoff). */
const CLOSE_CODES = new Map<number, CloseRule<'superseded'>>([
  [CLOSE_SUPERSEDED, { then: 'end', status: 'superseded' }],
  [CLOSE_UNAUTHENTICATED, { then: 'refresh-then-reconnect' }],
]);

const INTERFACE_A: SocketProtocol<ServerMessage, 'superseded'> = {
  name: 'CTI connection',
  parse: parseServerMessage,
  // Exclusive: the desktop's newest tab takes over from the others (cti/agent-gateway/gateway.ts).
  auth: (token) => ({ type: 'auth', token, exclusive: true }),
  closeCodes: CLOSE_CODES,
  ends: (m) => (m.type === 'superseded' ? 'superseded' : undefined),
};

/**
 * The desktop's connection to CTI (interface A): authenticates as an exclusive session, reconnects by
 * itself and refreshes the token (reconnecting-socket.ts). A superseded session is never reconnected.
 */
export class CtiSocket extends ReconnectingSocket<ServerMessage, ClientMessage, 'superseded'> {
  constructor(deps: CtiSocketDeps) {
    super(deps, INTERFACE_A);
  }
}
