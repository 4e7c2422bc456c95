import { expect } from '../../support/chai';
import { createLogger } from '../../../lib/log';
import { Message } from '../../../lib/messages';
import { EndpointSync } from '../../../stasis-app/provisioning/endpoint-sync';

describe('SoftACD: agent endpoints follow the AS (pjsip_agents.conf + res_pjsip reload)', () => {
  const log = createLogger('test', 'endpoints');

  function fakeAsterisk() {
    const state = { file: undefined as string | undefined, reloads: 0 };
    const sync = new EndpointSync({
      current: () => Promise.resolve(state.file),
      write: (text) => {
        state.file = text;
        return Promise.resolve();
      },
      reload: () => {
        state.reloads++;
        return Promise.resolve();
      },
      secret: 'test-secret',
      log,
    });
    return { state, sync };
  }

  it('writes and reloads when the list changes, and only then', async () => {
    const { state, sync } = fakeAsterisk();
    expect(await sync.apply([{ login: 'a1', sip: 'PJSIP/agenta1' }])).to.equal(true);
    expect(state.reloads).to.equal(1);
    expect(state.file).to.contain('[agenta1](agent-phone)').and.contain('username = agenta1');
    expect(await sync.apply([{ login: 'a1', sip: 'PJSIP/agenta1' }])).to.equal(false);
    expect(state.reloads).to.equal(1);
    expect(await sync.apply([])).to.equal(true);
    expect(state.reloads).to.equal(2);
    expect(state.file).not.to.contain('agenta1');
  });

  it('the bus message refuses logins and endpoints that could inject configuration', () => {
    const base = {
      id: '8e2f1f3c-0b1a-4c52-9a57-1d3c2e4f5a6b',
      type: 'ConfigChanged',
      contactId: 'config:agent:x',
      source: { service: 'as', instance: 'as-1' },
      at: new Date().toISOString(),
      v: 1,
      entity: 'agent',
      entityId: 'x',
      action: 'update',
    };
    expect(
      Message.safeParse({ ...base, endpoints: [{ login: 'a1', sip: 'PJSIP/agenta1' }] }).success,
    ).to.equal(true);
    for (const bad of [
      { login: 'a1\n[evil]', sip: 'PJSIP/agenta1' },
      { login: 'a1', sip: 'PJSIP/x\ntype=endpoint' },
      { login: 'a1', webrtc: 'SIP/x' },
      { login: 'A"1' },
    ]) {
      expect(Message.safeParse({ ...base, endpoints: [bad] }).success, JSON.stringify(bad)).to.equal(false);
    }
  });
});
