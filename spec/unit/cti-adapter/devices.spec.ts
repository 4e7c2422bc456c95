import { AgentPhones, DeviceChoices, defaultDevice } from '../../../cti/app/devices';
import type { AgentContact } from '../../../cti/app/directory';
import { fromRecords, recordText, toRecords } from '../../../cti/app/state-records';
import { ContactOwners } from '../../../cti/app/owners';
import { createCtiDomain } from '../../../cti/domain';
import { expect } from '../../support/chai';

const both: AgentContact = {
  id: 'a1',
  login: '1001',
  endpoint: 'PJSIP/1001',
  endpoints: { softphone: 'PJSIP/webrtc1001', desk: 'PJSIP/1001' },
};
const softOnly: AgentContact = {
  id: 'a2',
  login: '1002',
  endpoint: 'PJSIP/webrtc1002',
  endpoints: { softphone: 'PJSIP/webrtc1002' },
};
/** A contact as older tests and the directory before devices made it: one endpoint, no devices. */
const legacy: AgentContact = { id: 'a3', login: '1003', endpoint: 'PJSIP/1003' };

describe('CTI devices: which phone CTI rings', () => {
  it('defaults to the desk phone when there is one, else the softphone', () => {
    expect(defaultDevice(both)).to.equal('desk');
    expect(defaultDevice(softOnly)).to.equal('softphone');
    expect(defaultDevice(legacy)).to.equal(undefined);
  });

  it("AgentPhones gives each agent its chosen device's endpoint; a choice of a missing device is ignored", () => {
    const choices = new DeviceChoices();
    const phones = new AgentPhones(new Map([both, softOnly, legacy].map((c) => [c.id, c])), choices);
    expect([...phones.values()].map((c) => c.endpoint)).to.deep.equal([
      'PJSIP/1001',
      'PJSIP/webrtc1002',
      'PJSIP/1003',
    ]);
    choices.set('a1', 'softphone');
    choices.set('a2', 'desk');
    expect(phones.get('a1')?.endpoint).to.equal('PJSIP/webrtc1001');
    expect(phones.get('a2')?.endpoint).to.equal('PJSIP/webrtc1002');
    expect(phones.get('a3')?.endpoint).to.equal('PJSIP/1003');
    expect(phones.byDesk('PJSIP/1001')?.id).to.equal('a1');
    expect(phones.byDesk('PJSIP/webrtc1002')).to.equal(undefined);
    expect(phones.size).to.equal(3);
  });

  it('choices are stored as d:<agentId> records and come back from them', () => {
    const choices = new DeviceChoices();
    choices.set('a1', 'softphone');
    expect(choices.takeChanged()).to.deep.equal(['a1']);
    choices.set('a1', 'softphone');
    expect(choices.takeChanged(), 'the same choice is no change').to.deep.equal([]);
    const domain = createCtiDomain({ clock: { now: () => 0 } });
    const owners = new ContactOwners();
    expect(recordText('d:a1', { domain, owners, devices: choices, version: 1 })).to.equal('"softphone"');
    expect(recordText('d:a2', { domain, owners, devices: choices, version: 1 })).to.equal(undefined);
    const records = toRecords({
      version: 1,
      domain: domain.snapshot(),
      owners: owners.snapshot(),
      devices: choices.snapshot(),
    });
    expect(records.get('d:a1')).to.equal('"softphone"');
    const back = DeviceChoices.restore(fromRecords(records).devices ?? []);
    expect(back.get('a1')).to.equal('softphone');
    back.clear('a1');
    expect(back.takeChanged()).to.deep.equal(['a1']);
    expect(back.get('a1')).to.equal(undefined);
  });
});
