import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { desktopSettingsFrom } from '../../../as/settings';
import { tlsFromEnv } from '../../../lib/tls-files';
import { expect } from '../../support/chai';
import { selfSignedPair } from '../../support/tls';

describe('TLS files (lib/tls-files.ts) and the desktop URLs that follow them (as/settings.ts)', function () {
  this.timeout(20_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipcc-tls-unit-'));
  let pair: { cert: string; key: string };
  before(async () => {
    pair = await selfSignedPair(dir, ['pc12.lan', '192.168.1.20']);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('neither variable set: plain (undefined)', () => {
    expect(tlsFromEnv('AS', {})).to.equal(undefined);
    expect(tlsFromEnv('CTI', { CTI_TLS_CERT: '', CTI_TLS_KEY: '' })).to.equal(undefined);
  });

  it('reads the pair and names what the certificate covers (TLS_SAN of the generator included)', () => {
    const tls = tlsFromEnv('CTI', { CTI_TLS_CERT: pair.cert, CTI_TLS_KEY: pair.key });
    expect(tls?.certFile).to.equal(pair.cert);
    expect(tls?.cert.toString('utf8')).to.contain('BEGIN CERTIFICATE');
    expect(tls?.names).to.equal('DNS:localhost, IP Address:127.0.0.1, DNS:pc12.lan, IP Address:192.168.1.20');
  });

  it('refuses one variable without the other, a missing file, a file that is not PEM, a key of another pair', () => {
    expect(() => tlsFromEnv('AS', { AS_TLS_CERT: pair.cert })).to.throw(
      'AS_TLS_CERT and AS_TLS_KEY go together: only one of them is set',
    );
    expect(() =>
      tlsFromEnv('AS', { AS_TLS_CERT: path.join(dir, 'nope.crt'), AS_TLS_KEY: pair.key }),
    ).to.throw(/^AS_TLS_CERT .*nope\.crt: ENOENT/);
    const junk = path.join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    expect(() => tlsFromEnv('AS', { AS_TLS_CERT: junk, AS_TLS_KEY: pair.key })).to.throw(
      /is not a PEM certificate/,
    );
    expect(() => tlsFromEnv('AS', { AS_TLS_CERT: pair.cert, AS_TLS_KEY: path.join(dir, 'ca.key') })).to.throw(
      /^AS_TLS_KEY .*ca\.key does not fit .*server\.crt: it belongs to another certificate$/,
    );
  });

  it('the desktop uses wss:// for CTI when CTI has a certificate, and Asterisk TLS port when the AS serves HTTPS', () => {
    const plain = desktopSettingsFrom({}, '/x');
    expect([plain.ctiUrl, plain.sipWsUrl]).to.deep.equal(['ws://127.0.0.1:8091', 'ws://127.0.0.1:8088/ws']);
    const secure = desktopSettingsFrom(
      { AS_TLS_CERT: 'a', CTI_TLS_CERT: 'c', CTI_WS_HOST: 'pc12.lan', ASTERISK_HTTP_HOST: 'pbx.lan' },
      '/x',
    );
    expect([secure.ctiUrl, secure.sipWsUrl]).to.deep.equal(['wss://pc12.lan:8091', 'wss://pbx.lan:8089/ws']);
    const ports = desktopSettingsFrom(
      { AS_TLS_CERT: 'a', ASTERISK_HTTPS_HOST: 'pbx.example', ASTERISK_HTTPS_PORT: '443' },
      '/x',
    );
    expect(ports.sipWsUrl).to.equal('wss://pbx.example:443/ws');
    const overridden = desktopSettingsFrom(
      { AS_TLS_CERT: 'a', AGENT_SIP_WS_URL: 'wss://proxy/ws', AGENT_CTI_URL: 'wss://proxy/cti' },
      '/x',
    );
    expect([overridden.ctiUrl, overridden.sipWsUrl]).to.deep.equal(['wss://proxy/cti', 'wss://proxy/ws']);
  });
});
