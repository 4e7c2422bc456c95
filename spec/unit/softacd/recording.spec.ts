import { expect } from '../../support/chai';
import { envelope, harness, incoming, talkingCall } from './service-harness';

/** Agent call control: recording the caller, reporting the file, and sweeping lost recordings. */
describe('SoftACD service (plain ports)', () => {
  describe('agent call control', () => {
    it('records both directions of the caller once per call, reports it when finished, then forgets it', async () => {
      const h = await talkingCall();
      h.asked.splice(0);
      await h.svc.recordCall({ ...envelope(h.contactId), type: 'RecordCall', format: 'wav' });
      await h.svc.recordCall({ ...envelope(h.contactId), type: 'RecordCall', format: 'wav' });
      expect(h.asked).to.deep.equal([`record c1 via ${h.contactId}-snoop softacd snoop,${h.contactId} wav`]);
      const [name] = [...h.svc.recordings.keys()];
      await h.svc.recordingEnded(name!, 7, false);
      await h.svc.recordingEnded(name!, 7, false);
      const stored = h.emitted.filter((e) => e.type === 'RecordingStored');
      expect(stored).to.have.length(1);
      expect(stored[0]).to.include({ name, format: 'wav', durationSec: 7 });
      expect(stored[0])
        .to.have.property('path')
        .that.match(/\/recording\/.+\.wav$/);
      expect(h.svc.recordings.size).to.equal(0);
      // The caller leaving takes the snoop channel with it.
      await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
      expect(h.asked).to.include(`hangup ${h.contactId}-snoop`);
    });

    it('does not record a call that is not bridged, and sweeps recordings whose end never came', async () => {
      const h = harness();
      await h.svc.callArrived(incoming);
      const contactId = h.emitted[0]!.contactId;
      await h.svc.recordCall({ ...envelope(contactId), type: 'RecordCall', format: 'wav' });
      expect(h.svc.recordings.size).to.equal(0);
      const t = await talkingCall();
      await t.svc.recordCall({ ...envelope(t.contactId), type: 'RecordCall', format: 'wav' });
      expect(t.svc.sweepRecordings(Date.now() + 10_000, 1_000)).to.have.length(1);
      expect(t.svc.recordings.size).to.equal(0);
    });
  });
});
