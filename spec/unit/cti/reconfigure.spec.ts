import { expect } from '../../support/chai';
import { CtiDomain } from '../../../cti/domain';
import { arrive, must, mustFail, offered, queue, readyAgent, stateOf, world } from './helpers';

describe('cti/domain live reconfiguration (agents and queues added, changed, removed)', () => {
  describe('removeAgent', () => {
    it('logs a ready agent out (reason removed), forgets it and never offers it a contact', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice' });
      readyAgent(w, { id: 'a' });
      const out = must(w.cti.removeAgent('a'));
      expect(out.agentChanges.map((c) => `${c.from}->${c.to}:${c.reason}`)).to.deep.equal([
        'ready->logged-out:removed',
      ]);
      mustFail(w.cti.agentView('a'), 'UNKNOWN_AGENT');
      const arrival = arrive(w, 'c1', 'q');
      expect(arrival.offers).to.have.length(0);
      expect(must(w.cti.queuePosition('c1'))).to.equal(1);
      mustFail(w.cti.login('a'), 'UNKNOWN_AGENT');
      expect(must(w.cti.queueStats('q')).staffed).to.equal(0);
    });

    it('forgets a logged-out agent with no state change', () => {
      const w = world();
      must(w.cti.addAgent({ id: 'a' }));
      const out = must(w.cti.removeAgent('a'));
      expect(out.agentChanges).to.have.length(0);
      expect(w.cti.snapshot().agents).to.have.length(0);
    });

    it('a talking agent keeps its call, is offered nothing more, and is logged out when it ends', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice', wrapUpMs: 0 });
      readyAgent(w, { id: 'a' });
      arrive(w, 'c1', 'q');
      must(w.cti.answered('c1'));
      const removal = must(w.cti.removeAgent('a'));
      expect(removal.agentChanges).to.have.length(0);
      expect(stateOf(w, 'a')).to.equal('talking');
      arrive(w, 'c2', 'q'); // waits: nobody else
      const end = must(w.cti.released('c1'));
      expect(offered(end)).to.deep.equal([]);
      expect(end.agentChanges.map((c) => c.to)).to.deep.equal(['wrap-up', 'ready', 'logged-out']);
      expect(end.agentChanges.at(-1)?.reason).to.equal('removed');
      mustFail(w.cti.agentView('a'), 'UNKNOWN_AGENT');
      expect(must(w.cti.queuePosition('c2'))).to.equal(1);
    });

    it('a ringing agent keeps its offer; if unanswered the contact goes to the next agent', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice', ringTimeoutMs: 10_000 });
      readyAgent(w, { id: 'a' });
      arrive(w, 'c1', 'q');
      must(w.cti.ringing('c1'));
      must(w.cti.removeAgent('a'));
      readyAgent(w, { id: 'b' });
      const out = must(w.cti.ringNoAnswer('c1'));
      expect(offered(out)).to.deep.equal(['c1->b']);
      mustFail(w.cti.agentView('a'), 'UNKNOWN_AGENT');
    });

    it('an agent added again (reactivated) while leaving is an ordinary agent again', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice', wrapUpMs: 0 });
      readyAgent(w, { id: 'a' });
      arrive(w, 'c1', 'q');
      must(w.cti.answered('c1'));
      must(w.cti.removeAgent('a'));
      must(w.cti.updateAgent({ id: 'a' }));
      arrive(w, 'c2', 'q');
      const end = must(w.cti.released('c1'));
      expect(offered(end)).to.deep.equal(['c2->a']);
    });
  });

  describe('updateQueue', () => {
    it('a new requirement applies to the next decision', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice' });
      readyAgent(w, { id: 'novice', skills: { fr: 1 } });
      must(
        w.cti.updateQueue({
          id: 'q',
          channel: 'voice',
          ringTimeoutMs: 0,
          skills: [{ name: 'fr', minLevel: 5 }],
        }),
      );
      expect(arrive(w, 'c1', 'q').offers).to.have.length(0);
      const expert = readyAgent(w, { id: 'expert', skills: { fr: 6 } });
      expect(offered(expert)).to.deep.equal(['c1->expert']);
    });

    it('a new ring timeout applies to the next offer', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice', ringTimeoutMs: 20_000 });
      must(w.cti.updateQueue({ id: 'q', channel: 'voice', ringTimeoutMs: 7_000 }));
      readyAgent(w, { id: 'a' });
      const out = arrive(w, 'c1', 'q');
      expect(out.timers).to.deep.include({
        type: 'schedule',
        timer: { id: 'ring:c1', kind: 'ring', dueAt: w.clock.t + 7_000, contactId: 'c1', agentId: 'a' },
      });
    });
  });

  describe('removeQueue', () => {
    it('moves waiting contacts to the fallback queue, keeping their wait and order', () => {
      const w = world();
      queue(w, { id: 'old', channel: 'voice', queueTimeoutMs: 60_000 });
      queue(w, { id: 'fb', channel: 'voice', queueTimeoutMs: 100_000 });
      arrive(w, 'c1', 'old');
      w.clock.advance(1000);
      arrive(w, 'f1', 'fb');
      w.clock.advance(1000);
      arrive(w, 'c2', 'old');
      const enqueuedAt = must(w.cti.contactView('c1')).enqueuedAt;
      const out = must(w.cti.removeQueue('old', 'fb'));
      expect(out.contactChanges.map((c) => `${c.contactId}:${c.queueId}:${c.reason}`)).to.deep.equal([
        'c1:fb:queue-deleted',
        'c2:fb:queue-deleted',
      ]);
      expect(must(w.cti.contactView('c1'))).to.include({ queueId: 'fb', state: 'waiting', enqueuedAt });
      expect(must(w.cti.queuePosition('c1'))).to.equal(1);
      expect(must(w.cti.queuePosition('f1'))).to.equal(2);
      expect(must(w.cti.queuePosition('c2'))).to.equal(3);
      // The fallback's timeout counts from the original enqueue time.
      expect(out.timers).to.deep.include({
        type: 'schedule',
        timer: { id: 'queue:c1', kind: 'queue', dueAt: enqueuedAt + 100_000, contactId: 'c1' },
      });
      mustFail(w.cti.queueStats('old'), 'UNKNOWN_QUEUE');
      mustFail(w.cti.contactArrived({ contactId: 'c3', queueId: 'old' }), 'UNKNOWN_QUEUE');
      const agent = readyAgent(w, { id: 'a' });
      expect(offered(agent)).to.deep.equal(['c1->a']);
    });

    it('without a fallback queue, waiting callers get the timeout action (callback becomes voicemail)', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice', timeoutAction: 'callback' });
      arrive(w, 'c1', 'q');
      const out = must(w.cti.removeQueue('q'));
      expect(out.notices).to.deep.equal([
        { type: 'queue-timeout', contactId: 'c1', queueId: 'q', action: 'voicemail' },
      ]);
      expect(out.contactChanges.map((c) => `${c.from}->${c.to}:${c.reason}`)).to.deep.equal([
        'waiting->ended:queue-deleted',
      ]);
      mustFail(w.cti.contactView('c1'), 'UNKNOWN_CONTACT');
      expect(w.cti.snapshot().queues).to.have.length(0);
    });

    it('a fallback that is unknown counts as none', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice', timeoutAction: 'release' });
      arrive(w, 'c1', 'q');
      const out = must(w.cti.removeQueue('q', 'nowhere'));
      expect(out.notices.map((n) => n.action)).to.deep.equal(['release']);
    });

    it('a contact in service stays until it ends; then the queue is gone, and a snapshot restores meanwhile', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice', wrapUpMs: 0 });
      readyAgent(w, { id: 'a' });
      arrive(w, 'c1', 'q');
      must(w.cti.answered('c1'));
      must(w.cti.removeQueue('q'));
      expect(must(w.cti.queueStats('q')).inService).to.equal(1);
      mustFail(w.cti.contactArrived({ contactId: 'c2', queueId: 'q' }), 'UNKNOWN_QUEUE');
      expect(CtiDomain.restore(w.cti.snapshot(), w.clock).ok).to.equal(true);
      must(w.cti.released('c1'));
      mustFail(w.cti.queueStats('q'), 'UNKNOWN_QUEUE');
      expect(stateOf(w, 'a')).to.equal('ready');
    });

    it('a queue added again while closing is open again', () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice' });
      readyAgent(w, { id: 'a' });
      arrive(w, 'c1', 'q');
      must(w.cti.answered('c1'));
      must(w.cti.removeQueue('q'));
      must(w.cti.updateQueue({ id: 'q', channel: 'voice' }));
      expect(must(w.cti.contactArrived({ contactId: 'c2', queueId: 'q' })).contactChanges).to.have.length(1);
    });
  });
});
