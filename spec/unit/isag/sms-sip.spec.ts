import winston from 'winston';
import type { AriRequests, IsagAri } from '../../../isag/core/ari';
import { normalizeNumber, parseSipAddress, sipCustomer } from '../../../isag/sms/addresses';
import type { InboundSms, SmsService } from '../../../isag/sms/service';
import { sipMessageApp, sipSms, sipSpoolHandler } from '../../../isag/sms/sip';
import type { SpooledMessage } from '../../../isag/sms/spool-file';
import { expect } from '../../support/chai';

/** A spooled MESSAGE as the dialplan writes it, decoded (isag/sms/spool-file.ts). */
function spooled(m: Partial<SpooledMessage>): SpooledMessage {
  return {
    at: 1_765_100_000_000,
    callId: '',
    cseq: '',
    from: '',
    to: '',
    recvAddr: '',
    transport: '',
    body: '',
    ...m,
  };
}
const sms = (m: Partial<SpooledMessage>) => sipSms(spooled(m), Buffer.from('raw'));

describe('isag sms: SIP MESSAGE', () => {
  it('reads From, To, the text and the Call-ID/CSeq of a spooled MESSAGE; replies go to its source', () => {
    // As Asterisk 22 gave them in this system (the From's port is not kept).
    expect(
      sms({
        from: '"Customer" <sip:+15557770001@127.0.0.1>',
        to: 'pjsip:+15550100@127.0.0.1',
        body: 'Hello over SIP',
        callId: 'abc@127.0.0.1',
        cseq: '1',
        recvAddr: '127.0.0.1:5072',
        transport: 'udp',
      }),
    ).to.deep.include({
      via: 'sip',
      from: 'sip:+15557770001@127.0.0.1:5072',
      customer: '+15557770001',
      to: '+15550100',
      text: 'Hello over SIP',
      providerId: 'abc@127.0.0.1/1',
    });
  });

  it('answers a TCP peer over TCP, and falls back to the From URI without a usable source address', () => {
    const base = { from: '<sip:alice@example.org>', to: 'pjsip:+15550100@h', body: 'hi' };
    expect(sms({ ...base, recvAddr: '[::1]:40000', transport: 'tcp' })).to.deep.include({
      from: 'sip:alice@[::1]:40000;transport=tcp',
      customer: 'sip:alice@[::1]:40000',
    });
    expect(sms({ ...base, recvAddr: 'x;y' })).to.deep.include({ from: 'sip:alice@example.org' });
  });

  it('refuses what is not a message to one of our numbers', () => {
    expect(sms({ from: 'garbage', to: 'pjsip:+15550100@h', body: 'x' })).to.match(/^From is not/);
    expect(sms({ from: '<sip:a@h>', to: 'pjsip:sales@h', body: 'x' })).to.match(/^To is not/);
    expect(sms({ from: '<sip:a@h>', to: '', body: 'x' })).to.match(/^To is not/);
    expect(sms({ from: '<sip:a@h>', to: 'pjsip:+15550100@h', body: 'x'.repeat(1601) })).to.match(
      /longer than 1600/,
    );
    expect(sms({ from: '<sip:a@h>', to: 'pjsip:+15550100@h', body: 'a\u0000b' })).to.equal('NUL in the text');
  });

  it('keys a SIP peer whose user is no number by its URI', () => {
    expect(sms({ from: '<sip:alice@example.org>', to: 'pjsip:+15550100@h', body: 'hi' })).to.deep.include({
      from: 'sip:alice@example.org',
      customer: 'sip:alice@example.org',
    });
  });

  it('says so when Asterisk dropped a body over its buffer, and keeps an empty one empty', () => {
    const base = { from: '<sip:a@h>', to: 'pjsip:+15550100@h', body: '' };
    expect(sms({ ...base, contentLength: 1100 })).to.deep.include({
      text: '[1100 bytes sent over SIP; Asterisk passes on at most 1,023 and dropped the text]',
    });
    expect(sms({ ...base, contentLength: 0 })).to.deep.include({ text: '' });
    expect(sms(base)).to.deep.include({ text: '' });
  });

  it('the message without a Call-ID has no provider id; the spool line is its raw form', () => {
    const m = sms({ from: '<sip:a@h>', to: 'pjsip:+15550100@h', body: 'x' }) as InboundSms;
    expect(m.providerId).to.equal(undefined);
    expect(m.raw.toString()).to.equal('raw');
  });

  it('normalises numbers and parses SIP addresses', () => {
    expect(normalizeNumber(' +1 (555) 777-0001 ')).to.equal('+15557770001');
    expect(normalizeNumber('7000')).to.equal('7000');
    expect(normalizeNumber('12')).to.equal(undefined);
    expect(normalizeNumber('+1555x')).to.equal(undefined);
    const a = parseSipAddress('<sips:%2B4930123@[::1]:5061;user=phone>');
    expect(a).to.deep.equal({ uri: 'sips:%2B4930123@[::1]:5061', user: '+4930123', hostPort: '[::1]:5061' });
    expect(a === undefined ? undefined : sipCustomer(a)).to.equal('+4930123');
    expect(parseSipAddress('<tel:+15550100>')).to.equal(undefined);
    expect(parseSipAddress('<sip:a@h/../x>')).to.equal(undefined);
  });
});

describe('isag sms: the Stasis app holds no endpoint subscription', () => {
  /** ARI as the app sees it: the app's endpoint subscriptions counted as Asterisk counts them. */
  function fakeAri(initialCount = 0) {
    let count = initialCount;
    const calls: string[] = [];
    const rest: AriRequests = {
      request<T>(method: string, path: string): Promise<T> {
        calls.push(`${method} ${path}`);
        if (method === 'POST') count++;
        if (method === 'DELETE') count--;
        const body = method === 'GET' ? { endpoint_ids: count > 0 ? ['PJSIP/anonymous'] : [] } : undefined;
        return Promise.resolve(body as T);
      },
    };
    return { ari: { rest } as unknown as IsagAri, calls, count: () => count };
  }
  const settings = { app: 'isag-sms', sipEndpoints: ['anonymous'] };
  const quiet = winston.createLogger({ silent: true });

  it('removes every subscription an earlier ISAG left (Asterisk counts them), and adds none', async () => {
    const f = fakeAri(3);
    const app = sipMessageApp(f.ari, settings, quiet);
    await app.resync();
    expect(f.count()).to.equal(0);
    expect(f.calls.filter((c) => c.startsWith('DELETE'))).to.have.length(3);
    await app.resync();
    expect(f.calls.filter((c) => c.startsWith('POST'))).to.deep.equal([]);
    expect(app.stop).to.equal(undefined);
  });
});

describe('isag sms: the spool handler', () => {
  const quiet = winston.createLogger({ silent: true });
  const entry = (m: Partial<SpooledMessage>) => ({
    name: '1765100000000-' + 'a'.repeat(40) + '.sms',
    message: spooled(m),
    raw: Buffer.from('v=1|end=1'),
  });

  it('hands an SMS to the service and reports it stored; refuses one that is not for us', async () => {
    const got: InboundSms[] = [];
    const service = {
      receive: (m: InboundSms) => {
        got.push(m);
        return Promise.resolve({ kind: 'opted-in', confirmed: false });
      },
    } as unknown as SmsService;
    const handle = sipSpoolHandler(service, quiet);
    const ok = await handle(entry({ from: '<sip:+15557770001@h>', to: 'pjsip:+15550100@h', body: 'hi' }));
    expect(ok).to.deep.equal({ kind: 'stored' });
    expect(got.map((m) => [m.text, m.raw.toString()])).to.deep.equal([['hi', 'v=1|end=1']]);
    const no = await handle(entry({ from: '<sip:+15557770001@h>', to: 'pjsip:sales@h', body: 'hi' }));
    expect(no).to.deep.include({ kind: 'refused' });
    expect(got).to.have.length(1);
  });

  it('lets a store failure through, so the file stays for another try', async () => {
    const service = { receive: () => Promise.reject(new Error('store down')) } as unknown as SmsService;
    const handle = sipSpoolHandler(service, quiet);
    let error: unknown;
    await handle(entry({ from: '<sip:+15557770001@h>', to: 'pjsip:+15550100@h', body: 'hi' })).catch(
      (e: unknown) => (error = e),
    );
    expect(String(error)).to.contain('store down');
  });
});
