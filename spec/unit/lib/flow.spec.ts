import { expect } from '../../support/chai';
import { NODE_TYPES, checkFlow, type FlowGraph, type FlowNode } from '../../../lib/flow/flow';
import { demoFlow } from '../../../as/seed-data';

const refs = {
  prompts: new Set(['welcome', 'menu', 'invalid', 'no-input', 'goodbye']),
  queues: new Set(['sales', 'support']),
  schedules: new Set(['office']),
};

function flow(nodes: FlowNode[], entry = nodes[0]?.id ?? 'x'): FlowGraph {
  return { entry, nodes };
}

describe('lib/flow/flow checkFlow', () => {
  it('accepts the demo video flow (menu, nested data step, queues, hang-up)', () => {
    const result = checkFlow(demoFlow, refs);
    expect(result.errors).to.deep.equal([]);
    expect(result.warnings).to.deep.equal([]);
  });

  it('refuses a missing entry node', () => {
    const result = checkFlow(flow([{ id: 'bye', type: 'hangup' }], 'start'), refs);
    expect(result.errors).to.deep.equal([{ path: 'entry', message: 'entry node "start" does not exist' }]);
  });

  it('refuses a reference to a missing node, with its path', () => {
    const result = checkFlow(flow([{ id: 'a', type: 'play', prompt: 'welcome', next: 'nowhere' }]), refs);
    expect(result.errors).to.deep.equal([
      { path: 'nodes[0].next', message: 'node "nowhere" does not exist' },
    ]);
  });

  it('refuses missing prompts and queues, naming each', () => {
    const result = checkFlow(
      flow([
        {
          id: 'm',
          type: 'menu',
          prompt: 'menu',
          invalidPrompt: 'oops',
          choices: [{ key: '1', next: 'q' }],
          timeoutSec: 5,
          maxRetries: 1,
          default: 'q',
        },
        { id: 'q', type: 'queue', queue: 'billing' },
      ]),
      refs,
    );
    expect(result.errors).to.deep.equal([
      { path: 'nodes[0].invalidPrompt', message: 'prompt "oops" does not exist' },
      { path: 'nodes[1].queue', message: 'queue "billing" does not exist' },
    ]);
  });

  it('refuses duplicate node ids, duplicate and non-DTMF keys, and empty menus', () => {
    const result = checkFlow(
      flow([
        {
          id: 'm',
          type: 'menu',
          prompt: 'menu',
          choices: [
            { key: '1', next: 'bye' },
            { key: '1', next: 'bye' },
            { key: 'A', next: 'bye' },
          ],
          timeoutSec: 5,
          maxRetries: 1,
          default: 'bye',
        },
        { id: 'bye', type: 'hangup' },
        { id: 'bye', type: 'hangup' },
        { id: 'e', type: 'menu', prompt: 'menu', choices: [], timeoutSec: 5, maxRetries: 1, default: 'bye' },
      ]),
      refs,
    );
    expect(result.errors.map((e) => e.message)).to.deep.equal([
      'duplicate node id "bye"',
      'key "1" is used twice',
      '"A" is not a DTMF key',
      'a menu needs at least one choice',
    ]);
  });

  it('refuses a loop that never asks for input, but allows one through a menu', () => {
    const loop = checkFlow(
      flow([
        { id: 'a', type: 'play', prompt: 'welcome', next: 'b' },
        { id: 'b', type: 'data', field: 'balance', next: 'a', notFound: 'a' },
      ]),
      refs,
    );
    expect(loop.errors).to.have.length(1);
    expect(loop.errors[0]?.message).to.equal(
      'nodes "a" -> "b" -> "a" loop forever without asking the caller for input',
    );

    const viaMenu = checkFlow(
      flow([
        {
          id: 'm',
          type: 'menu',
          prompt: 'menu',
          choices: [{ key: '9', next: 'd' }],
          timeoutSec: 5,
          maxRetries: 1,
          default: 'bye',
        },
        { id: 'd', type: 'data', field: 'balance', next: 'm', notFound: 'm' },
        { id: 'bye', type: 'hangup' },
      ]),
      refs,
    );
    expect(viaMenu.errors).to.deep.equal([]);
  });

  it('warns about unreachable nodes without refusing', () => {
    const result = checkFlow(
      flow([
        { id: 'bye', type: 'hangup' },
        { id: 'orphan', type: 'hangup' },
      ]),
      refs,
    );
    expect(result.errors).to.deep.equal([]);
    expect(result.warnings).to.deep.equal([
      { path: 'nodes[1]', message: 'node "orphan" cannot be reached from the entry' },
    ]);
  });

  describe('voicemail, callback and business-hours nodes', () => {
    const hoursFlow = flow([
      { id: 'when', type: 'hours', schedule: 'office', open: 'q', closed: 'offer' },
      {
        id: 'offer',
        type: 'menu',
        prompt: 'menu',
        choices: [
          { key: '1', next: 'cb' },
          { key: '2', next: 'vm' },
        ],
        timeoutSec: 5,
        maxRetries: 1,
        default: 'vm',
      },
      { id: 'cb', type: 'callback', queue: 'sales', prompt: 'goodbye' },
      { id: 'vm', type: 'voicemail', prompt: 'welcome', queue: 'support' },
      { id: 'q', type: 'queue', queue: 'sales' },
    ]);

    it('accepts a flow that branches on a schedule to a callback offer and voicemail', () => {
      expect(checkFlow(hoursFlow, refs)).to.deep.equal({ errors: [], warnings: [] });
    });

    it('refuses unknown schedules, queues, prompts and branch targets, each with its path', () => {
      const result = checkFlow(
        flow([
          { id: 'when', type: 'hours', schedule: 'night', open: 'vm', closed: 'gone' },
          { id: 'vm', type: 'voicemail', prompt: 'beep', queue: 'billing' },
          { id: 'cb', type: 'callback', queue: 'nobody' },
        ]),
        refs,
      );
      expect(result.errors).to.deep.equal([
        { path: 'nodes[0].closed', message: 'node "gone" does not exist' },
        { path: 'nodes[0].schedule', message: 'schedule "night" does not exist' },
        { path: 'nodes[1].prompt', message: 'prompt "beep" does not exist' },
        { path: 'nodes[1].queue', message: 'queue "billing" does not exist' },
        { path: 'nodes[2].queue', message: 'queue "nobody" does not exist' },
      ]);
    });

    it('lets a voicemail node name no queue', () => {
      expect(checkFlow(flow([{ id: 'vm', type: 'voicemail' }]), refs).errors).to.deep.equal([]);
    });

    it('refuses an hours branch that loops back without input', () => {
      const result = checkFlow(
        flow([
          { id: 'a', type: 'play', prompt: 'welcome', next: 'h' },
          { id: 'h', type: 'hours', schedule: 'office', open: 'q', closed: 'a' },
          { id: 'q', type: 'queue', queue: 'sales' },
        ]),
        refs,
      );
      expect(result.errors.map((e) => e.message)).to.deep.equal([
        'nodes "a" -> "h" -> "a" loop forever without asking the caller for input',
      ]);
    });

    it('lists every node type once', () => {
      expect([...NODE_TYPES].sort()).to.deep.equal([
        'callback',
        'data',
        'hangup',
        'hours',
        'menu',
        'play',
        'queue',
        'voicemail',
      ]);
    });
  });
});
