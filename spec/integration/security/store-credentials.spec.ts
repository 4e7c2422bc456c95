import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { expect } from '../../support/chai';
import { mongoUri, requireSystem } from '../../support/servers';

/**
 * The document store is readable only with a password (issue 10, security 1): FerretDB v1 hands each
 * client's user and password (SASL PLAIN) to PostgreSQL, whose pg_hba demands scram-sha-256 for the
 * store's database over TCP and the socket (scripts/provision/postgresql.sh), and FerretDB itself holds
 * no password a client could inherit (scripts/docstore.sh). On the real FerretDB and PostgreSQL.
 */
describe('credentials: the document store refuses clients without the password', function () {
  this.timeout(30_000);

  before(async function () {
    if (process.env.IPCC_DOCSTORE_EXTERNAL === '1') this.skip(); // a MONGODB_URI of the user's: not ours to check
    await requireSystem(['docstore']);
  });

  /** The same address as the operator's, with other credentials (or none). */
  function uriAs(user: string | null, password?: string, mechanism = 'PLAIN'): string {
    const url = new URL(mongoUri());
    url.username = user ?? '';
    url.password = user === null ? '' : (password ?? '');
    if (user === null) url.searchParams.delete('authMechanism');
    else url.searchParams.set('authMechanism', mechanism);
    return url.toString();
  }

  /** What the client gets trying to list the collections and to read the agents (the password hashes). */
  async function attempt(uri: string): Promise<{ list: string; read: string }> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
    const outcome = (p: Promise<unknown>) =>
      p.then(
        (v) => `ok ${JSON.stringify(v).length}`,
        (err: Error & { codeName?: string }) => `${err.codeName ?? err.name}: ${err.message}`,
      );
    try {
      const db = client.db();
      return {
        list: await outcome(db.listCollections().toArray()),
        read: await outcome(db.collection('agents').find({}, { limit: 1 }).toArray()),
      };
    } finally {
      await client.close();
    }
  }

  it('lets the operator read the agents with the password (the control)', async () => {
    const client = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      const agents = await client.db().collection('agents').countDocuments();
      expect(agents).to.be.greaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('refuses a client without credentials: no collection list, no agent read', async () => {
    const got = await attempt(uriAs(null));
    for (const what of [got.list, got.read]) {
      expect(what).to.match(
        /^InternalError: .*password authentication failed for user "ipcc_no_credentials"/,
      );
    }
  });

  it('refuses the store user with a wrong password, and an unknown user', async () => {
    const wrong = await attempt(uriAs('ipcc_ops', 'not-the-password'));
    expect(wrong.list).to.match(/^InternalError: .*password authentication failed for user "ipcc_ops"/);
    expect(wrong.read).to.match(/^InternalError: .*password authentication failed for user "ipcc_ops"/);
    const unknown = await attempt(uriAs('postgres', 'postgres'));
    expect(unknown.read).to.match(/^InternalError: .*password authentication failed for user "postgres"/);
  });

  it('refuses the driver default SCRAM mechanism (the store speaks PLAIN only)', async () => {
    const password = new URL(mongoUri()).password;
    const got = await attempt(uriAs('ipcc_ops', decodeURIComponent(password), 'SCRAM-SHA-256'));
    expect(got.read).to.match(/^AuthenticationFailed: Unsupported authentication mechanism "SCRAM-SHA-256"/);
  });

  describe('PostgreSQL, connected to directly', () => {
    /** psql with no password from anywhere (environment, .pgpass) unless given; never prompts. */
    function psql(args: string[], password?: string) {
      const env: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: '/dev/null', PGCONNECT_TIMEOUT: '5' };
      for (const k of ['PGPASSWORD', 'PGUSER', 'PGHOST', 'PGDATABASE', 'PGSERVICE']) delete env[k];
      if (password !== undefined) env.PGPASSWORD = password;
      const r = spawnSync(
        'psql',
        ['-w', '-qtAX', '-d', 'ipcc_docstore', ...args, '-c', 'select current_user'],
        {
          env,
          encoding: 'utf8',
          timeout: 10_000,
        },
      );
      return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
    }
    const storePassword = () => decodeURIComponent(new URL(mongoUri()).password);

    it('refuses the store database without a password over TCP and the socket, to every role', () => {
      // the socket: no -h; postgres and root are superusers that the machine's own rules may trust
      const attempts = [
        ['-h', '127.0.0.1', '-U', 'ipcc_ops'],
        ['-h', '127.0.0.1', '-U', 'postgres'],
        ['-U', 'ipcc_ops'],
        ['-U', 'postgres'],
        ['-U', 'root'],
      ];
      for (const args of attempts) {
        const r = psql(args);
        expect(r, args.join(' ')).to.include({ status: 2, out: '' });
        expect(r.err, args.join(' ')).to.match(/fe_sendauth: no password supplied/);
      }
    });

    it('refuses a wrong password and accepts the right one, acting as the tables owner', () => {
      const wrong = psql(['-h', '127.0.0.1', '-U', 'ipcc_ops'], 'not-the-password');
      expect(wrong.status).to.equal(2);
      expect(wrong.err).to.match(/password authentication failed for user "ipcc_ops"/);
      expect(psql(['-h', '127.0.0.1', '-U', 'ipcc_ops'], storePassword())).to.include({
        status: 0,
        out: 'ipcc_docstore',
      });
      expect(psql(['-U', 'ipcc_ops'], storePassword())).to.include({ status: 0, out: 'ipcc_docstore' });
    });

    it('sees only the store users log in to the store through FerretDB', () => {
      const r = spawnSync(
        'psql',
        [
          '-w',
          '-qtAX',
          '-h',
          '127.0.0.1',
          '-U',
          'ipcc_ops',
          '-d',
          'ipcc_docstore',
          '-c',
          "select distinct usename from pg_stat_activity where datname = 'ipcc_docstore' and application_name = 'FerretDB' order by 1",
        ],
        { env: { ...process.env, PGPASSWORD: storePassword(), PGPASSFILE: '/dev/null' }, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).to.equal(0);
      const users = r.stdout.trim().split('\n');
      expect(users).to.include('ipcc_ops'); // this spec's own client, a moment ago
      expect(
        users.filter((u) => !['ipcc_as', 'ipcc_cti', 'ipcc_isag', 'ipcc_ops'].includes(u)),
      ).to.deep.equal([]);
    });
  });

  it("gives each running service its own bus and store credentials and no one else's", async () => {
    await requireSystem(['softacd', 'ivr', 'cti']);
    const runDir = process.env.IPCC_RUN ?? path.resolve('.run');
    for (const service of ['cti', 'softacd', 'ivr', 'as', 'isag']) {
      const pid = readFileSync(path.join(runDir, 'pids', `${service}.pid`), 'utf8').trim();
      const env = new Map(
        readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .filter((kv) => kv.includes('='))
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const),
      );
      const user = (name: string) => (env.has(name) ? new URL(env.get(name) ?? '').username : 'none');
      const usesStore = service === 'cti' || service === 'as' || service === 'isag';
      expect({ service, bus: user('AMQP_URL'), store: user('MONGODB_URI') }).to.deep.equal({
        service,
        bus: `ipcc_${service}`,
        store: usesStore ? `ipcc_${service}` : 'none',
      });
      expect(
        [...env.keys()].filter((k) => /PASSWORD_|^DOCSTORE_PG/.test(k)),
        service,
      ).to.deep.equal([]);
    }
  });
});
