import { spawnSync } from 'node:child_process';
import amqplib from 'amqplib';
import { EXCHANGES, queues } from '../../../lib/bus/topology';
import { expect } from '../../support/chai';
import { amqpUrl, requireSystem } from '../../support/servers';

/**
 * RabbitMQ (issue 10, security 1): the project has a vhost of its own where guest is granted nothing,
 * and each service a user of its own limited to what it declares, publishes and consumes
 * (scripts/provision/rabbitmq-definitions.mjs). On the machine's real broker.
 */
describe('credentials: RabbitMQ users of the project', function () {
  this.timeout(30_000);

  before(async function () {
    if (process.env.IPCC_AMQP_EXTERNAL === '1') this.skip(); // an AMQP_URL of the user's: not ours to check
    await requireSystem(['rabbitmq', 'cti']);
  });

  /** The project's address with another user: a service's password comes from load_env's secrets. */
  function urlAs(user: string, password: string): string {
    const url = new URL(amqpUrl());
    url.username = user;
    url.password = password;
    return url.toString();
  }
  const serviceUrl = (service: string) => {
    const password = process.env[`AMQP_PASSWORD_${service.toUpperCase()}`];
    if (!password) throw new Error(`AMQP_PASSWORD_${service.toUpperCase()} is not set (load_env)`);
    return urlAs(`ipcc_${service}`, password);
  };
  const refusal = (url: string) =>
    amqplib.connect(url).then(
      async (c) => {
        await c.close();
        return 'connected';
      },
      (err: Error) => err.message,
    );

  /** rabbitmqctl's rows (tab-separated, header dropped); as root, or through sudo. */
  function rabbitmqctl(...args: string[]): string[][] {
    const r =
      process.getuid?.() === 0
        ? spawnSync('rabbitmqctl', ['-q', ...args], { encoding: 'utf8' })
        : spawnSync('sudo', ['-n', 'rabbitmqctl', '-q', ...args], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'));
  }

  it('refuses guest in the project vhost, and a wrong password', async () => {
    const vhost = new URL(amqpUrl()).pathname.slice(1);
    expect(vhost).to.equal('ipcc');
    // guest/guest may log in to the machine's broker (loopback), but opening the vhost is refused:
    // amqplib reports the broker closing the connection instead of ConnectionOpenOk (530 NOT_ALLOWED).
    expect(await refusal(urlAs('guest', 'guest'))).to.equal(
      'Expected ConnectionOpenOk; got <ConnectionClose channel:0>',
    );
    expect(rabbitmqctl('list_permissions', '-p', vhost).map(([user]) => user)).not.to.include('guest');
    expect(await refusal(urlAs('ipcc_ops', 'not-the-password'))).to.match(/403 \(ACCESS-REFUSED\)/);
  });

  it('lets the operator user in and finds CTI consuming in the project vhost', async () => {
    const conn = await amqplib.connect(amqpUrl());
    try {
      const ch = await conn.createChannel();
      const q = await ch.checkQueue(queues.cti);
      expect(q.consumerCount).to.equal(1);
    } finally {
      await conn.close();
    }
  });

  /** What the broker says when `service` tries `op` on a fresh confirm channel: 'ok' or the refusal. */
  async function tryAs(
    service: string,
    op: (ch: amqplib.ConfirmChannel) => Promise<unknown>,
  ): Promise<string> {
    const conn = await amqplib.connect(serviceUrl(service));
    try {
      const ch = await conn.createConfirmChannel();
      // The refusal closes the channel with its reason (the error event, emitted before the pending
      // operation is rejected with a bare "channel closed"); the listener also keeps it from the process.
      let closedWith: string | undefined;
      ch.on('error', (err: Error) => (closedWith = err.message));
      return await op(ch).then(
        () => closedWith ?? 'ok',
        (err: Error) => closedWith ?? err.message,
      );
    } finally {
      await conn.close().catch(() => undefined);
    }
  }
  const publishTo = (exchange: string) => async (ch: amqplib.ConfirmChannel) => {
    ch.publish(exchange, 'security.spec', Buffer.from('{}'));
    await ch.waitForConfirms();
  };

  it('limits each service to its part: the AS cannot consume CTI queue, CTI cannot report call events', async () => {
    expect(await tryAs('as', (ch) => ch.consume(queues.cti, () => undefined))).to.match(
      /ACCESS_REFUSED - access to queue 'cc.cti' in vhost 'ipcc' refused for user 'ipcc_as'/,
    );
    expect(await tryAs('cti', publishTo(EXCHANGES.events))).to.match(
      /ACCESS_REFUSED - access to exchange 'cc.events' in vhost 'ipcc' refused for user 'ipcc_cti'/,
    );
    expect(await tryAs('ivr', (ch) => ch.bindQueue(queues.cti, EXCHANGES.commands, '#'))).to.match(
      /ACCESS_REFUSED - access to queue 'cc.cti' in vhost 'ipcc' refused for user 'ipcc_ivr'/,
    );
    // the control: what CTI does for a living is allowed
    expect(await tryAs('cti', publishTo(EXCHANGES.commands))).to.equal('ok');
  });

  it('sees every service connected as a user of its own in the project vhost, none as guest', () => {
    const users = new Set(
      rabbitmqctl('list_connections', 'user', 'vhost')
        .filter(([, vhost]) => vhost === 'ipcc')
        .map(([user]) => user ?? ''),
    );
    expect([...users].filter((u) => !u.startsWith('ipcc_'))).to.deep.equal([]);
    expect([...users]).to.include.members(['ipcc_cti', 'ipcc_softacd', 'ipcc_ivr', 'ipcc_as']);
  });
});
