import { expect } from '../../support/chai';
import { CtiSocket, type ConnectionStatus } from '../../../agent-ui/src/adapters/cti-socket';
import type { ServerMessage } from '../../../agent-ui/src/domain/interface-a';

/** A WebSocket stand-in: records what the page sends, lets the test play CTI. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  closed?: { code: number };
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000): void {
    this.closed = { code };
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(m: ServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function socket(o: { refresh?: () => Promise<{ token: string; expiresAt: number }> } = {}) {
  FakeSocket.all = [];
  const statuses: ConnectionStatus['kind'][] = [];
  const messages: string[] = [];
  let refreshes = 0;
  const cti = new CtiSocket({
    url: 'ws://cti',
    token: () => 'tok-1',
    refreshToken:
      o.refresh ??
      (() => {
        refreshes += 1;
        return Promise.resolve({ token: `tok-${refreshes + 1}`, expiresAt: Date.now() + 900_000 });
      }),
    onMessage: (m) => messages.push(m.type),
    onStatus: (s) => statuses.push(s.kind),
    log: () => undefined,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    random: () => 0, // the shortest jittered delay: 400 ms for the first attempt
  });
  return { cti, statuses, messages, refreshes: () => refreshes };
}

describe('agent-ui CTI socket', () => {
  it('authenticates as an exclusive session and passes CTI messages on', () => {
    const { cti, statuses, messages } = socket();
    cti.start();
    const ws = FakeSocket.all[0]!;
    ws.open();
    expect(ws.sent).to.deep.equal([{ type: 'auth', token: 'tok-1', exclusive: true }]);
    ws.receive({ type: 'welcome', agentId: 'a1', expiresAt: new Date(Date.now() + 900_000).toISOString() });
    expect(statuses).to.deep.equal(['connecting', 'open']);
    expect(messages).to.deep.equal(['welcome']);
    expect(cti.send({ type: 'ready' })).to.equal(true);
    cti.stop();
  });

  it('reconnects after a lost connection, with the backoff delay', async () => {
    const { cti, statuses } = socket();
    cti.start();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.drop(1006);
    expect(statuses.at(-1)).to.equal('reconnecting');
    await wait(250);
    expect(FakeSocket.all).to.have.length(1);
    await wait(250);
    expect(FakeSocket.all).to.have.length(2);
    FakeSocket.all[1]!.open();
    expect(FakeSocket.all[1]!.sent[0]).to.deep.include({ type: 'auth', exclusive: true });
    cti.stop();
  });

  it('a superseded session never reconnects', async () => {
    const { cti, statuses, messages } = socket();
    cti.start();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.receive({ type: 'superseded' });
    ws.drop(4409);
    await wait(600);
    expect(FakeSocket.all).to.have.length(1);
    expect(statuses.at(-1)).to.equal('superseded');
    expect(messages).to.deep.equal(['superseded']);
  });

  it('refreshes the token before it expires and hands it to CTI', async () => {
    const { cti, refreshes } = socket();
    cti.start();
    const ws = FakeSocket.all[0]!;
    ws.open();
    // Less than the one-minute margin left: refreshed at once.
    ws.receive({ type: 'welcome', agentId: 'a1', expiresAt: new Date(Date.now() + 30_000).toISOString() });
    await wait(20);
    expect(refreshes()).to.equal(1);
    expect(ws.sent.at(-1)).to.deep.equal({ type: 'refresh', token: 'tok-2' });
    cti.stop();
  });

  it('a refused token with no refresh possible ends in unauthorized, without reconnecting', async () => {
    const { cti, statuses } = socket({ refresh: () => Promise.reject(new Error('401')) });
    cti.start();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.drop(4401);
    await wait(600);
    expect(statuses.at(-1)).to.equal('unauthorized');
    expect(FakeSocket.all).to.have.length(1);
  });
});
