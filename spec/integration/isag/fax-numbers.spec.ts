import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AsApi } from '../../support/as-api';
import { demoPassword } from '../../support/browser';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { requireSystem } from '../../support/servers';

/**
 * The fax numbers are the fax queues' addresses, written once (docs/fax.md, "Fax numbers"): a fax queue
 * made through the AS's REST API (what the console's queue editor calls) puts its number into the
 * running Asterisk's dialplan, routed to `fax-in` before Stasis, and deleting the queue takes it out.
 * Real parts: the AS publishes ConfigChanged, ISAG rewrites extensions_ipcc_fax_numbers.conf and reloads
 * the dialplan over its own ARI user; the CLI reads the result.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const runDir = process.env.IPCC_RUN ?? path.join(root, '.run');

function rx(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [path.join(root, 'scripts/asterisk.sh'), 'rx', command],
      { cwd: root, timeout: 30_000 },
      (err: Error | null, out: string) => (err ? reject(err) : resolve(out)),
    );
  });
}

/** Whether `[acd]` sends the number to `fax-in` (its own exact extension, not the voice pattern). */
async function routedToFax(number: string): Promise<boolean> {
  const out = await rx(`dialplan show ${number}@acd`);
  return new RegExp(`'${number.replace('+', '\\+')}' =>\\s+1\\. Goto\\(fax-in,`).test(out);
}

describe('fax numbers: a fax queue in the console is a fax number in Asterisk (docs/fax.md)', function () {
  this.timeout(90_000);
  const number = `79${randomInt(100_000, 999_999)}`;
  const name = `fax-spec-${randomInt(1_000, 9_999)}`;
  let api: AsApi;
  let queueId: string | undefined;

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore']);
    const ready = await fetch(`http://127.0.0.1:${process.env.ISAG_OPS_PORT ?? '9465'}/health/ready`).catch(
      (err: unknown) => err as Error,
    );
    if (ready instanceof Error || !ready.ok) throw new Error('required server missing: isag (health/ready)');
    api = await AsApi.signIn('admin', await demoPassword());
  });
  after(async () => {
    if (queueId !== undefined) await api.request('DELETE', `/api/v1/queues/${queueId}`);
  });

  it("routes a new fax queue's number to fax-in within seconds, and no longer once the queue is gone", async () => {
    expect(await routedToFax(number)).to.equal(false);
    const made = await api.ok<{ id: string }>('POST', '/api/v1/queues', {
      name,
      channel: 'fax',
      addresses: [number],
    });
    queueId = made.id;
    const started = Date.now();
    await eventually(`${number} routed to fax-in`, () => routedToFax(number), 20_000);
    const addedMs = Date.now() - started;
    // The run directory's copy too: scripts/asterisk.sh renders it into Asterisk at its next start.
    expect(readFileSync(path.join(runDir, 'extensions_ipcc_fax_numbers.conf'), 'utf8')).to.include(
      `exten => ${number},1,Goto(fax-in,\${EXTEN},1)`,
    );
    const removed = await api.request('DELETE', `/api/v1/queues/${made.id}`);
    expect(removed.status).to.equal(204);
    queueId = undefined;
    const deleted = Date.now();
    await eventually(`${number} gone from the dialplan`, async () => !(await routedToFax(number)), 20_000);
    const removedMs = Date.now() - deleted;
    // The seeded fax queue's number stays.
    expect(await routedToFax('7000')).to.equal(true);
    console.log(
      `      fax number in the dialplan ${addedMs} ms after the queue was made, out ${removedMs} ms after delete`,
    );
  });
});
