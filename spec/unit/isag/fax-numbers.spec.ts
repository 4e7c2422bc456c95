import winston from 'winston';
import { AddressDirectory } from '../../../isag/core/addresses';
import { faxNumbers, renderFaxDialplan } from '../../../isag/fax/dialplan';
import { FaxDialplanSync, type FaxDialplanPorts } from '../../../isag/fax/dialplan-sync';
import { expect } from '../../support/chai';

const log = winston.createLogger({ silent: true });

/** Ports over memory: the file, each write and reload, and reloads that fail while `failReloads` > 0. */
function fakePorts(initial?: string) {
  const state = { file: initial, writes: 0, reloads: 0, failReloads: 0 };
  const ports: FaxDialplanPorts = {
    current: () => Promise.resolve(state.file),
    write: (text) => {
      state.file = text;
      state.writes++;
      return Promise.resolve();
    },
    reload: () => {
      if (state.failReloads > 0) {
        state.failReloads--;
        return Promise.reject(new Error('ARI dialplan reload: 503'));
      }
      state.reloads++;
      return Promise.resolve();
    },
    log,
  };
  return { state, ports };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fax numbers: the dialplan generated from the fax queues (isag/fax/dialplan.ts)', () => {
  it("takes the fax queues' addresses, as the address book keys them, and no other channel's", () => {
    const book = new AddressDirectory([
      { name: 'fax', channel: 'fax', addresses: ['7000', '+33 1 99 00 00 01'] },
      { name: 'fax-b', channel: 'fax', addresses: ['(01) 99-00'] },
      { name: 'sms', channel: 'sms', addresses: ['+15550100'] },
      { name: 'sales', addresses: ['100'] },
    ]);
    expect(book.addresses('fax')).to.deep.equal(['+33199000001', '019900', '7000']);
  });

  it('keeps digits with one leading + only: nothing else reaches the dialplan', () => {
    expect(faxNumbers(['7000', '+331', '7000', '70,00', '1)', 'fax', '+', '_X.', '1\n[x]'])).to.deep.equal({
      numbers: ['+331', '7000'],
      refused: ['70,00', '1)', 'fax', '+', '_X.', '1\n[x]'],
    });
    expect(() => renderFaxDialplan(['7000', '_X.'])).to.throw('not a fax number: "_X."');
  });

  it('renders an exact extension per number and the CNG extension towards the first', () => {
    expect(renderFaxDialplan(['7000', '7001']).split('\n').slice(2)).to.deep.equal([
      '[acd](+)',
      'exten => 7000,1,Goto(fax-in,${EXTEN},1)',
      'exten => 7001,1,Goto(fax-in,${EXTEN},1)',
      'exten => fax,1,NoOp(ipcc: CNG on a call for ${FAXEXTEN}: received as a fax to 7000)',
      ' same => n,Dial(Local/7000@fax-in/n)',
      ' same => n,Hangup()',
      '',
    ]);
    // No fax queue: no number and no `fax` extension (chan_pjsip then leaves a CNG caller alone).
    expect(renderFaxDialplan([]).split('\n').slice(2)).to.deep.equal(['[acd](+)', '']);
  });
});

describe('fax numbers kept in Asterisk while ISAG runs (isag/fax/dialplan-sync.ts)', () => {
  it('writes and reloads on a change only', async () => {
    const { state, ports } = fakePorts();
    const sync = new FaxDialplanSync(ports);
    expect(await sync.apply(['7000'])).to.equal(true);
    expect(await sync.apply(['7000'])).to.equal(false);
    expect(await sync.apply(['7000', '7001'])).to.equal(true);
    expect(state).to.deep.include({ writes: 2, reloads: 2 });
    expect(state.file).to.include('exten => 7001,1,Goto(fax-in,${EXTEN},1)');
  });

  it('a failed reload is tried again with the same file, not taken for done', async () => {
    const { state, ports } = fakePorts();
    state.failReloads = 1;
    const sync = new FaxDialplanSync(ports, 20);
    sync.update(['7000']);
    await sync.stop();
    expect(state).to.deep.include({ writes: 1, reloads: 0 });
    sync.update(['7000']);
    await wait(10);
    await sync.stop();
    // The text is unchanged, but Asterisk never loaded it: written and reloaded again.
    expect(state).to.deep.include({ writes: 2, reloads: 1 });
  });

  it('retries by itself after a failure, and the latest of changes made meanwhile wins', async () => {
    const { state, ports } = fakePorts();
    state.failReloads = 1;
    const sync = new FaxDialplanSync(ports, 20);
    sync.update(['7000']);
    await wait(60);
    await sync.stop();
    expect(state.reloads).to.equal(1);
    sync.update(['7001']);
    sync.update(['7002']);
    await wait(10);
    await sync.stop();
    expect(state.file).to.include('exten => 7002,').and.not.include('exten => 7001,');
  });
});
