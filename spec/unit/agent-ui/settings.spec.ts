import { expect } from '../../support/chai';
import { guestCallOf, numberFromPath } from '../../../agent-ui/src/domain/guest';
import { ctiUrlFor, parseDesktopSettings, parseSipAccount } from '../../../agent-ui/src/domain/settings';
import { keysOf, shortcutOf } from '../../../agent-ui/src/domain/shortcuts';
import { parseServerMessage } from '../../../agent-ui/src/domain/interface-a';

const page = { protocol: 'http:', hostname: '127.0.0.1' };

describe('agent-ui settings, guest call and shortcuts', () => {
  it('reads the desktop settings: reasons with their desk digit, codes, queues and agents', () => {
    const s = parseDesktopSettings({
      agent: { id: 'a1', login: 'alice', displayName: 'Alice' },
      devices: { softphone: { endpoint: 'webrtc1001' }, desk: null },
      ctiUrl: 'ws://127.0.0.1:8091',
      notReadyReasons: [
        { name: 'break', label: 'Break', digit: 1 },
        { name: 'lunch', digit: 2 },
      ],
      dispositionCodes: ['Sale', { code: 'NoSale', label: 'No sale' }],
      queues: [{ name: 'support', channel: 'video' }],
      agents: [{ id: 'a2', login: 'bob', displayName: 'Bob' }, { nothing: true }],
    });
    expect(s.agent).to.deep.equal({ id: 'a1', login: 'alice', displayName: 'Alice' });
    expect(s.devices).to.deep.equal({ softphone: true, desk: false });
    expect(s.notReadyReasons).to.deep.equal([
      { value: 'break', label: 'Break', hint: '1' },
      { value: 'lunch', label: 'lunch', hint: '2' },
    ]);
    expect(s.dispositionCodes).to.deep.equal([
      { value: 'Sale', label: 'Sale' },
      { value: 'NoSale', label: 'No sale' },
    ]);
    expect(s.queues).to.deep.equal([{ value: 'support', label: 'support', hint: 'video' }]);
    expect(s.agents).to.deep.equal([{ value: 'bob', label: 'Bob' }]);
    expect(ctiUrlFor(s, page)).to.equal('ws://127.0.0.1:8091');
    expect(ctiUrlFor(parseDesktopSettings({}), { protocol: 'https:', hostname: 'cc.example' })).to.equal(
      'wss://cc.example:8091',
    );
  });

  it('a softphone account needs its WebSocket, URI and password', () => {
    const full = { wsUrl: 'ws://h:8088/ws', uri: 'sip:webrtc1@h', username: 'webrtc1', password: 'p' };
    expect(parseSipAccount(full)).to.deep.equal(full);
    expect(parseSipAccount({ ...full, password: '' })).to.equal(undefined);
    expect(parseSipAccount(null)).to.equal(undefined);
  });

  it('takes the number from /call/<number> and nothing else', () => {
    expect(numberFromPath('/call/100')).to.equal('100');
    expect(numberFromPath('/call/%2B33123456789/')).to.equal('+33123456789');
    expect(numberFromPath('/call/')).to.equal(undefined);
    expect(numberFromPath('/call/abc')).to.equal(undefined);
    expect(numberFromPath('/call/100/x')).to.equal(undefined);
    expect(numberFromPath('/call/%E0%A4%A')).to.equal(undefined);
  });

  it("reads the AS's guest call answer, with the page's host as the defaults", () => {
    expect(
      guestCallOf({ token: 't', wsUrl: 'ws://a/ws', uri: 'sip:guest@a', target: 'sip:100@a' }, '100', page),
    ).to.deep.equal({
      token: 't',
      wsUrl: 'ws://a/ws',
      uri: 'sip:guest@a',
      target: 'sip:100@a',
    });
    expect(guestCallOf({ token: 't' }, '100', page)).to.deep.equal({
      token: 't',
      wsUrl: 'ws://127.0.0.1:8088/ws',
      uri: 'sip:guest@127.0.0.1',
      target: 'sip:100@127.0.0.1',
    });
    expect(() => guestCallOf({}, '100', page)).to.throw('no guest token');
  });

  it('Alt+A/H/O/R are the shortcuts, by physical key, not with other modifiers', () => {
    const key = (
      code: string,
      mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {},
    ) => shortcutOf({ altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, code, ...mods });
    expect([key('KeyA'), key('KeyH'), key('KeyO'), key('KeyR')]).to.deep.equal([
      'answer',
      'hangup',
      'hold',
      'ready',
    ]);
    expect(key('KeyA', { altKey: false })).to.equal(undefined);
    expect(key('KeyA', { ctrlKey: true })).to.equal(undefined);
    expect(key('KeyZ')).to.equal(undefined);
    expect(keysOf('hold')).to.equal('Alt+O');
  });

  it('accepts CTI frames with a known type only', () => {
    expect(parseServerMessage('{"type":"superseded"}')).to.deep.equal({ type: 'superseded' });
    expect(parseServerMessage('{"type":"nope"}')).to.equal(undefined);
    expect(parseServerMessage('not json')).to.equal(undefined);
    expect(parseServerMessage('[1]')).to.equal(undefined);
  });
});
