import { expect } from '../../support/chai';
import {
  SupervisorSocket,
  type SupervisorConnection,
} from '../../../agent-ui/src/adapters/supervisor-socket';
import { supervisorUrl } from '../../../agent-ui/src/app/wallboard';
import {
  EMPTY_BOARD,
  applyBoard,
  parseSupervisorMessage,
  serviceLevelLevel,
  sortedAgents,
  waitLevel,
  waitingContacts,
  type BoardAgent,
  type BoardQueue,
} from '../../../agent-ui/src/domain/wallboard';

function queue(id: string, patch: Partial<BoardQueue> = {}): BoardQueue {
  return {
    id,
    waiting: 0,
    oldestEnqueuedAt: null,
    ready: 0,
    busy: 0,
    notReady: 0,
    wrapUp: 0,
    offered: 0,
    answered: 0,
    abandoned: 0,
    answeredInThreshold: 0,
    serviceLevel: null,
    asaMs: null,
    serviceLevelSec: 20,
    contacts: [],
    ...patch,
  };
}

function agent(id: string, login: string, state = 'ready'): BoardAgent {
  return { id, login, name: login, state, since: 0, queues: ['sales'] };
}

describe('wallboard page: the board and its thresholds', () => {
  it('a snapshot replaces the board, an update replaces and removes rows; the skew follows CTI', () => {
    let board = applyBoard(
      EMPTY_BOARD,
      {
        type: 'wallboard',
        at: 10_500,
        day: '2026-12-07',
        queues: [queue('sales'), queue('support')],
        agents: [agent('b', '1002'), agent('a', '1001')],
      },
      10_000,
    );
    expect(board.skewMs).to.equal(500);
    expect(sortedAgents(board).map((a) => a.login)).to.deep.equal(['1001', '1002']);
    board = applyBoard(
      board,
      {
        type: 'wallboard-update',
        at: 20_000,
        day: '2026-12-07',
        queues: [
          queue('sales', {
            waiting: 1,
            contacts: [{ id: 'c1', enqueuedAt: 19_000, callback: false, raised: false }],
          }),
        ],
        agents: [agent('a', '1001', 'talking')],
        removedQueues: ['support'],
        removedAgents: ['b'],
      },
      20_100,
    );
    expect([...board.queues.keys()]).to.deep.equal(['sales']);
    expect([...board.agents.values()].map((a) => [a.login, a.state])).to.deep.equal([['1001', 'talking']]);
    expect(waitingContacts(board).map((c) => [c.queueId, c.id])).to.deep.equal([['sales', 'c1']]);
    expect(board.skewMs).to.equal(-100);
  });

  it('colours: service level against 80% and 60%, longest wait against the threshold and twice it', () => {
    expect([null, 0.95, 0.8, 0.79, 0.6, 0.59].map(serviceLevelLevel)).to.deep.equal([
      'ok',
      'ok',
      'ok',
      'warn',
      'warn',
      'alarm',
    ]);
    expect([null, 19_999, 20_000, 39_999, 40_000].map((w) => waitLevel(w, 20))).to.deep.equal([
      'ok',
      'ok',
      'warn',
      'warn',
      'alarm',
    ]);
  });

  it('reads only known messages; the socket URL is CTI on /supervisor', () => {
    expect(parseSupervisorMessage('{"type":"welcome","queues":null}')?.type).to.equal('welcome');
    expect(parseSupervisorMessage('{"type":"wallboard","queues":{}}')).to.equal(undefined);
    expect(
      parseSupervisorMessage(
        '{"type":"supervise-ended","sessionId":"s","agentId":"a","contactId":"c","reason":"agent-leg-gone"}',
      )?.type,
    ).to.equal('supervise-ended');
    expect(parseSupervisorMessage('{"type":"nope"}')).to.equal(undefined);
    expect(parseSupervisorMessage('not json')).to.equal(undefined);
    expect(supervisorUrl({ protocol: 'https:', hostname: 'cc.example' })).to.equal(
      'wss://cc.example:8091/supervisor',
    );
  });
});

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(m: unknown): void {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

describe('wallboard page: the supervisor socket', () => {
  function socket() {
    FakeSocket.all = [];
    const statuses: SupervisorConnection['kind'][] = [];
    const types: string[] = [];
    const s = new SupervisorSocket({
      url: 'ws://cti/supervisor',
      token: () => 'tok',
      refreshToken: () => Promise.resolve({ token: 'tok-2', expiresAt: Date.now() + 900_000 }),
      onMessage: (m) => types.push(m.type),
      onStatus: (st) => statuses.push(st.kind),
      log: () => undefined,
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      random: () => 0,
    });
    return { s, statuses, types };
  }

  it('authenticates on open; after a drop it reconnects with backoff and takes the new snapshot', async () => {
    const { s, statuses, types } = socket();
    s.start();
    FakeSocket.all[0]!.open();
    expect(FakeSocket.all[0]!.sent).to.deep.equal([{ type: 'auth', token: 'tok' }]);
    FakeSocket.all[0]!.receive({ type: 'welcome', expiresAt: new Date(Date.now() + 900_000).toISOString() });
    FakeSocket.all[0]!.drop(1006);
    expect(statuses).to.deep.equal(['connecting', 'open', 'reconnecting']);
    await new Promise((r) => setTimeout(r, 450)); // 500 ms nominal, -20% jitter at random 0
    expect(FakeSocket.all).to.have.length(2);
    FakeSocket.all[1]!.open();
    FakeSocket.all[1]!.receive({ type: 'welcome', expiresAt: new Date(Date.now() + 900_000).toISOString() });
    FakeSocket.all[1]!.receive({ type: 'wallboard', at: 1, day: 'd', queues: [], agents: [] });
    expect(types).to.deep.equal(['welcome', 'welcome', 'wallboard']);
    s.stop();
  });

  it('an agent-only token (4403) is never retried', async () => {
    const { s, statuses } = socket();
    s.start();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.drop(4403);
    await new Promise((r) => setTimeout(r, 600));
    expect(statuses).to.deep.equal(['connecting', 'forbidden']);
    expect(FakeSocket.all).to.have.length(1);
    s.stop();
  });
});
