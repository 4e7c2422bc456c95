import http from 'node:http';
import type { AddressInfo } from 'node:net';
import winston from 'winston';
import { WebSocketServer, type WebSocket } from 'ws';
import { ANY_EVENT, AriEventSocket, CONNECTED, RECONNECTING } from '../../../stasis-app/ari/event-socket';
import { expect } from '../../support/chai';

const log = winston.createLogger({ silent: true });

/** A stand-in for Asterisk's `/ari/events`: remembers each upgrade's query, can push and cut. */
async function eventServer() {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, path: '/ari/events' });
  const queries: URLSearchParams[] = [];
  let current: WebSocket | undefined;
  wss.on('connection', (ws, req) => {
    queries.push(new URL(req.url ?? '', 'http://x').searchParams);
    current = ws;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    send: (event: object | string) =>
      current?.send(typeof event === 'string' ? event : JSON.stringify(event)),
    cut: () => current?.terminate(),
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const until = async (what: string, ok: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ARI event socket (stasis-app/ari/event-socket.ts)', function () {
  this.timeout(10_000);

  it('opens /ari/events for its apps and hands each event, as sent, to the listeners of its type', async () => {
    const s = await eventServer();
    const events = new AriEventSocket({ url: s.url, user: 'ipcc', password: 'p&w' }, log);
    try {
      const starts: unknown[] = [];
      let ends = 0;
      events.on('StasisStart', (e) => starts.push(e));
      events.on('StasisEnd', () => (ends += 1));
      await events.start('softacd,ivr');
      expect(s.queries[0]?.get('app')).to.equal('softacd,ivr');
      expect(s.queries[0]?.get('api_key')).to.equal('ipcc:p&w');
      const start = { type: 'StasisStart', application: 'softacd', args: ['5000'], channel: { id: 'c1' } };
      s.send(start);
      s.send('not json'); // logged and skipped: the next event still arrives
      s.send({ type: 'StasisEnd', application: 'softacd', channel: { id: 'c1' } });
      await until('StasisEnd', () => ends === 1);
      expect(starts).to.deep.equal([start]);
      expect(s.queries[0]?.has('subscribeAll')).to.equal(false);
    } finally {
      events.stop();
      await s.close();
    }
  });

  it('survives a listener that throws: later events still reach every listener', async () => {
    const s = await eventServer();
    const events = new AriEventSocket({ url: s.url, user: 'u', password: 'p' }, log);
    try {
      const seen: string[] = [];
      events.on('ChannelDestroyed', () => {
        throw new Error('bug in a handler');
      });
      events.on('StasisEnd', (e: { type: string; channel: { id: string } }) => seen.push(e.channel.id));
      await events.start('a');
      s.send({ type: 'ChannelDestroyed', channel: { id: 'x' } });
      s.send({ type: 'StasisEnd', channel: { id: 'y' } });
      await until('StasisEnd', () => seen.length === 1);
      expect(seen).to.deep.equal(['y']);
    } finally {
      events.stop();
      await s.close();
    }
  });

  it('re-opens after a drop with the backoff policy, and tells CONNECTED again (the resync)', async () => {
    const s = await eventServer();
    const events = new AriEventSocket({ url: s.url, user: 'u', password: 'p' }, log);
    try {
      let connected = 0;
      const retries: number[] = [];
      events.on(CONNECTED, () => (connected += 1));
      events.on(RECONNECTING, (_err: Error, retryMs: number) => retries.push(retryMs));
      await events.start('a');
      const t0 = Date.now();
      s.cut();
      await until('reconnect', () => connected === 2);
      // The first retry waits 150 ms ±20% (lib/backoff.ts), then the count starts over.
      expect(retries).to.have.length(1);
      expect(retries[0]).to.be.within(120, 180);
      expect(Date.now() - t0).to.be.at.least(115);
      expect(s.queries).to.have.length(2);
      s.cut();
      await until('second reconnect', () => connected === 3);
      expect(retries[1]).to.be.within(120, 180);
    } finally {
      events.stop();
      await s.close();
    }
  });

  it('retries a server that is away with growing delays, and stops for good on stop()', async () => {
    const s = await eventServer();
    const url = s.url;
    await s.close(); // nobody listens on the port now: every attempt is refused
    const events = new AriEventSocket({ url, user: 'u', password: 'p' }, log);
    const retries: number[] = [];
    events.on(RECONNECTING, (_err: Error, retryMs: number) => retries.push(retryMs));
    void events.start('a');
    await until('three retries', () => retries.length === 3);
    expect(retries[0]).to.be.within(120, 180);
    expect(retries[1]).to.be.within(204, 306);
    expect(retries[2]).to.be.within(346, 520);
    events.stop();
    const n = retries.length;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(retries.length, 'no attempt after stop').to.equal(n);
  });

  it('subscribes to all of Asterisk when asked, and gives every event to the listeners of ANY_EVENT', async () => {
    const s = await eventServer();
    const events = new AriEventSocket({ url: s.url, user: 'u', password: 'p' }, log);
    try {
      const types: string[] = [];
      events.on(ANY_EVENT, (e) => types.push(e.type));
      await events.start('observer', { subscribeAll: true });
      expect(s.queries[0]?.get('subscribeAll')).to.equal('true');
      s.send({ type: 'ChannelCreated', channel: { id: 'a' } });
      s.send({ type: 'PlaybackStarted', playback: { id: 'p' } });
      await until('two events', () => types.length === 2);
      expect(types).to.deep.equal(['ChannelCreated', 'PlaybackStarted']);
    } finally {
      events.stop();
      await s.close();
    }
  });
});
