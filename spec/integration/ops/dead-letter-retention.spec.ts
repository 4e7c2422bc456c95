import { spawnSync } from 'node:child_process';
import { DEAD_LETTER_QUEUE } from '../../../lib/bus/topology';
import { expect } from '../../support/chai';
import { amqpUrl, requireSystem } from '../../support/servers';

/**
 * The dead-letter queue has no consumer: the broker bounds it by a policy (count, oldest dropped first,
 * and age) that the provisioning imports (scripts/provision/rabbitmq-definitions.mjs), read back here
 * from the machine's real broker. The defaults are written out again here, so a changed default in the
 * definitions fails this spec until the documented one changes with it.
 */
describe('dead letters: retention policy on the real RabbitMQ', function () {
  this.timeout(30_000);
  const DAY_MS = 24 * 60 * 60 * 1000;
  const maxLength = Number(process.env.DEAD_LETTER_MAX_LENGTH || 10_000);
  const ttlDays = Number(process.env.DEAD_LETTER_TTL_DAYS || 7);
  const vhost = () => new URL(amqpUrl()).pathname.slice(1);

  before(async function () {
    if (process.env.IPCC_AMQP_EXTERNAL === '1') this.skip(); // an AMQP_URL of the user's: not provisioned by us
    await requireSystem(['rabbitmq']);
  });

  /** rabbitmqctl's output; as root, or through sudo. */
  function rabbitmqctl(...args: string[]): string {
    const r =
      process.getuid?.() === 0
        ? spawnSync('rabbitmqctl', ['-q', ...args], { encoding: 'utf8' })
        : spawnSync('sudo', ['-n', 'rabbitmqctl', '-q', ...args], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return r.stdout;
  }

  it('the vhost has one dead-letter policy: 10,000 messages, 7 days, oldest dropped first', () => {
    const policies = JSON.parse(rabbitmqctl('list_policies', '-p', vhost(), '--formatter', 'json')) as {
      name: string;
      pattern: string;
      'apply-to': string;
      definition: string;
      priority: number;
    }[];
    const mine = policies.filter((p) => p.name === 'ipcc-dead-letter');
    expect(mine).to.have.length(1);
    const [policy] = mine;
    expect(policy?.pattern).to.equal('^cc\\.dead-letter$');
    expect(policy?.['apply-to']).to.equal('queues');
    expect(JSON.parse(policy?.definition ?? '{}')).to.deep.equal({
      'max-length': maxLength,
      'message-ttl': ttlDays * DAY_MS,
      overflow: 'drop-head',
    });
    if (!process.env.DEAD_LETTER_MAX_LENGTH && !process.env.DEAD_LETTER_TTL_DAYS) {
      expect(JSON.parse(policy?.definition ?? '{}')).to.deep.include({
        'max-length': 10_000,
        'message-ttl': 604_800_000,
      });
    }
    // No other policy of higher priority may match the queue and take its place.
    const rivals = policies.filter(
      (p) => p.name !== 'ipcc-dead-letter' && new RegExp(p.pattern).test(DEAD_LETTER_QUEUE),
    );
    expect(rivals).to.deep.equal([]);
  });

  it('is the policy in force on cc.dead-letter', () => {
    const rows = rabbitmqctl('list_queues', '-p', vhost(), 'name', 'policy', '--no-table-headers')
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.filter(([name]) => name === DEAD_LETTER_QUEUE)).to.deep.equal([
      [DEAD_LETTER_QUEUE, 'ipcc-dead-letter'],
    ]);
  });
});
