import { expect } from '../../support/chai';
import { InvalidMessage, makeMessage, parseMessage } from '../../../lib/messages';
import { type QueueGate, admit } from '../../../lib/hours/closed-route';
import type { Schedule } from '../../../lib/hours/schedule';

const alwaysOpen: Schedule = {
  timeZone: 'UTC',
  weekly: (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const).map((day) => ({
    day,
    open: '00:00',
    close: '00:00',
  })),
  holidays: [],
};
const neverOpen: Schedule = { timeZone: 'UTC', weekly: [], holidays: [] };
const officeHours: Schedule = {
  timeZone: 'Europe/Berlin',
  weekly: [{ day: 'mon', open: '09:00', close: '17:00' }],
  holidays: [],
};
const monday10 = new Date('2026-12-07T09:00:00Z'); // 10:00 in Berlin
const monday20 = new Date('2026-12-07T19:00:00Z'); // 20:00 in Berlin

const gates = (entries: Array<[string, QueueGate]>) => new Map(entries);

describe('lib/hours/closed-route admit', () => {
  it('queues in the queue asked for when it has no schedule', () => {
    expect(admit('sales', gates([]), monday20)).to.deep.equal({ kind: 'queue', queue: 'sales', passed: [] });
  });

  it('queues in the queue asked for while its schedule is open', () => {
    const g = gates([
      ['sales', { schedule: 'office', hours: officeHours, action: { kind: 'prompt', prompt: 'closed' } }],
    ]);
    expect(admit('sales', g, monday10)).to.deep.equal({ kind: 'queue', queue: 'sales', passed: [] });
  });

  it('closed with a prompt: the prompt, naming the queue and schedule', () => {
    const g = gates([
      ['sales', { schedule: 'office', hours: officeHours, action: { kind: 'prompt', prompt: 'closed' } }],
    ]);
    expect(admit('sales', g, monday20)).to.deep.equal({
      kind: 'prompt',
      queue: 'sales',
      schedule: 'office',
      prompt: 'closed',
      passed: [],
    });
  });

  it('closed with voicemail, with and without a greeting', () => {
    const g = gates([
      [
        'sales',
        { schedule: 'office', hours: neverOpen, action: { kind: 'voicemail', prompt: 'leave-message' } },
      ],
      ['support', { schedule: 'office', hours: neverOpen, action: { kind: 'voicemail' } }],
    ]);
    expect(admit('sales', g, monday10)).to.deep.equal({
      kind: 'voicemail',
      queue: 'sales',
      schedule: 'office',
      prompt: 'leave-message',
      passed: [],
    });
    expect(admit('support', g, monday10)).to.deep.equal({
      kind: 'voicemail',
      queue: 'support',
      schedule: 'office',
      passed: [],
    });
  });

  it('closed with another queue: queues there, naming the queue passed over', () => {
    const g = gates([
      ['sales', { schedule: 'office', hours: officeHours, action: { kind: 'queue', queue: 'night' } }],
      ['night', { schedule: 'night', hours: alwaysOpen, action: { kind: 'prompt', prompt: 'closed' } }],
    ]);
    expect(admit('sales', g, monday20)).to.deep.equal({
      kind: 'queue',
      queue: 'night',
      passed: [{ queue: 'sales', schedule: 'office' }],
    });
  });

  it("follows a chain of closed queues to the last one's action", () => {
    const g = gates([
      ['a', { schedule: 's1', hours: neverOpen, action: { kind: 'queue', queue: 'b' } }],
      ['b', { schedule: 's2', hours: neverOpen, action: { kind: 'prompt', prompt: 'closed' } }],
    ]);
    expect(admit('a', g, monday10)).to.deep.equal({
      kind: 'prompt',
      queue: 'b',
      schedule: 's2',
      prompt: 'closed',
      passed: [{ queue: 'a', schedule: 's1' }],
    });
  });

  it('ends a loop of closed queues in voicemail for the first queue', () => {
    const g = gates([
      ['a', { schedule: 's1', hours: neverOpen, action: { kind: 'queue', queue: 'b' } }],
      ['b', { schedule: 's2', hours: neverOpen, action: { kind: 'queue', queue: 'a' } }],
    ]);
    expect(admit('a', g, monday10)).to.deep.equal({
      kind: 'voicemail',
      queue: 'a',
      schedule: 's1',
      passed: [
        { queue: 'a', schedule: 's1' },
        { queue: 'b', schedule: 's2' },
      ],
    });
  });

  it('ends in voicemail for the first queue when the closed action names a queue that is gone', () => {
    const g = gates([
      ['a', { schedule: 's1', hours: neverOpen, action: { kind: 'queue', queue: 'deleted' } }],
    ]);
    expect(admit('a', g, monday10, (q) => q !== 'deleted')).to.deep.equal({
      kind: 'voicemail',
      queue: 'a',
      schedule: 's1',
      passed: [{ queue: 'a', schedule: 's1' }],
    });
  });

  it('ends a chain past five hops in voicemail for the first queue', () => {
    const g = gates(
      ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'].map((q, i) => [
        q,
        { schedule: 's', hours: neverOpen, action: { kind: 'queue', queue: `q${i + 2}` } },
      ]),
    );
    const result = admit('q1', g, monday10);
    expect(result.kind).to.equal('voicemail');
    expect(result.queue).to.equal('q1');
    expect(result.passed.map((p) => p.queue)).to.deep.equal(['q1', 'q2', 'q3', 'q4', 'q5']);
  });
});

describe('QueueClosed message', () => {
  const source = { service: 'cti' as const, instance: 'cti-test' };
  const draft = { type: 'QueueClosed' as const, contactId: 'c1', queueId: 'sales', schedule: 'office' };

  it('carries a voicemail with or without a greeting', () => {
    const m = makeMessage<'QueueClosed'>(source, { ...draft, action: 'voicemail' });
    expect(parseMessage(JSON.stringify(m))).to.deep.include({ type: 'QueueClosed', action: 'voicemail' });
    expect(
      makeMessage<'QueueClosed'>(source, { ...draft, action: 'voicemail', prompt: 'hello' }).prompt,
    ).to.equal('hello');
  });

  it('refuses a prompt action without its prompt, naming the field', () => {
    const raw = JSON.stringify({
      ...makeMessage<'QueueClosed'>(source, { ...draft, action: 'voicemail' }),
      action: 'prompt',
    });
    expect(() => parseMessage(raw)).to.throw(InvalidMessage, 'a prompt action names its prompt');
  });
});
