import { expect } from '../../support/chai';
import { NODE_TYPES } from '../../../lib/flow/flow';
import {
  NODE_KINDS,
  addChoice,
  addNode,
  autoLayout,
  edgesOf,
  freeSpot,
  layoutOf,
  localProblems,
  nodeOfValidationMessage,
  positionsOf,
  problemsByNode,
  removeChoice,
  removeNode,
  setChoiceKey,
  setLink,
  withField,
  type FlowGraph,
} from '../../../agent-ui/src/domain/flow-graph';

const menuFlow: FlowGraph = {
  entry: 'main',
  nodes: [
    {
      id: 'main',
      type: 'menu',
      prompt: 'menu',
      choices: [
        { key: '1', next: 'sales' },
        { key: '2', next: 'support' },
      ],
      timeoutSec: 5,
      maxRetries: 2,
      default: 'bye',
    },
    { id: 'sales', type: 'queue', queue: 'sales' },
    { id: 'support', type: 'queue', queue: 'support' },
    { id: 'bye', type: 'hangup' },
  ],
};

describe('flow editor graph (agent-ui/src/domain/flow-graph)', () => {
  it('has one descriptor per node type of the flow model, in the model order', () => {
    expect(NODE_KINDS.map((k) => k.type)).to.deep.equal([...NODE_TYPES]);
    for (const kind of NODE_KINDS) expect(kind.create('x').type).to.equal(kind.type);
  });

  it('draws one labelled edge per connected link: menu keys, then the default', () => {
    expect(edgesOf(menuFlow)).to.deep.equal([
      { id: 'main/choice:0', source: 'main', sourceHandle: 'choice:0', target: 'sales', key: '1' },
      { id: 'main/choice:1', source: 'main', sourceHandle: 'choice:1', target: 'support', key: '2' },
      { id: 'main/default', source: 'main', sourceHandle: 'default', target: 'bye' },
    ]);
  });

  it('links and unlinks: a key, a field; a handle the type does not have changes nothing', () => {
    const g1 = setLink(menuFlow, 'main', 'choice:1', 'bye');
    expect(edgesOf(g1).find((e) => e.sourceHandle === 'choice:1')?.target).to.equal('bye');
    const g2 = setLink(g1, 'main', 'default', '');
    expect(edgesOf(g2).map((e) => e.id)).to.deep.equal(['main/choice:0', 'main/choice:1']);
    // Two choices with the same key (refused by the check) are still two links.
    const twice = setChoiceKey(menuFlow, 'main', 1, '1');
    expect(edgesOf(twice).map((e) => [e.key, e.target])).to.deep.equal([
      ['1', 'sales'],
      ['1', 'support'],
      [undefined, 'bye'],
    ]);
    expect(setLink(menuFlow, 'sales', 'next', 'bye')).to.deep.equal(menuFlow);
  });

  it('adds nodes with free ids and unlinked outputs, which the local check reports', () => {
    const { graph, id } = addNode(menuFlow, 'play');
    expect(id).to.equal('play1');
    expect(addNode(graph, 'play').id).to.equal('play2');
    expect(localProblems(graph)).to.deep.equal([
      { nodeId: 'play1', path: 'nodes[4].prompt', kind: 'empty', field: 'prompt' },
      { nodeId: 'play1', path: 'nodes[4].next', kind: 'unlinked', field: 'next' },
    ]);
    expect(localProblems(menuFlow)).to.deep.equal([]);
  });

  it('removing a node unlinks what pointed at it and moves the entry', () => {
    const g = removeNode(menuFlow, 'support');
    expect(g.nodes.map((n) => n.id)).to.deep.equal(['main', 'sales', 'bye']);
    expect(localProblems(g)).to.deep.equal([
      { nodeId: 'main', path: 'nodes[0].choices[1].next', kind: 'unlinked', field: 'choice:1', key: '2' },
    ]);
    expect(removeNode(menuFlow, 'main').entry).to.equal('sales');
  });

  it('menu keys: the first free key is added, keys change and go', () => {
    const g = addChoice(menuFlow, 'main');
    const menu = () => g.nodes[0] as { choices: { key: string }[] };
    expect(menu().choices.map((c) => c.key)).to.deep.equal(['1', '2', '3']);
    const g2 = removeChoice(setChoiceKey(g, 'main', 2, '#'), 'main', 0);
    expect((g2.nodes[0] as { choices: { key: string }[] }).choices.map((c) => c.key)).to.deep.equal([
      '2',
      '#',
    ]);
  });

  it('an emptied optional field is removed, a required one kept empty', () => {
    const hangup = withField({ id: 'h', type: 'hangup', prompt: 'goodbye' }, 'prompt', '');
    expect(hangup).to.deep.equal({ id: 'h', type: 'hangup' });
    expect(withField({ id: 'q', type: 'queue', queue: 'sales' }, 'queue', '')).to.deep.equal({
      id: 'q',
      type: 'queue',
      queue: '',
    });
  });

  it("puts the AS's problems on the node their path names; the entry's on the flow", () => {
    const byNode = problemsByNode(menuFlow, [
      { path: 'nodes[0].choices[1].next', message: 'node "x" does not exist' },
      { path: 'nodes[2].queue', message: 'queue "support" does not exist' },
      { path: 'entry', message: 'entry node "y" does not exist' },
    ]);
    expect([...byNode]).to.deep.equal([
      ['main', ['node "x" does not exist']],
      ['support', ['queue "support" does not exist']],
      ['', ['entry node "y" does not exist']],
    ]);
    expect(nodeOfValidationMessage(menuFlow, '"nodes[3].prompt" is not allowed to be empty')).to.equal('bye');
  });

  it('lays a flow out in rows from the entry, unreachable nodes last; saved positions win', () => {
    const g: FlowGraph = { ...menuFlow, nodes: [...menuFlow.nodes, { id: 'lost', type: 'hangup' }] };
    const auto = autoLayout(g);
    expect(Object.fromEntries(auto)).to.deep.equal({
      main: { x: 0, y: 0 },
      sales: { x: -240, y: 170 },
      support: { x: 0, y: 170 },
      bye: { x: 240, y: 170 },
      lost: { x: 0, y: 340 },
    });
    const mixed = positionsOf(g, [
      { id: 'bye', x: 5, y: 7 },
      { id: 'gone', x: 1, y: 1 },
    ]);
    expect(mixed.get('bye')).to.deep.equal({ x: 5, y: 7 });
    expect(mixed.get('main')).to.deep.equal({ x: 0, y: 0 });
    expect(mixed.has('gone')).to.equal(false);
    expect(freeSpot(auto)).to.deep.equal({ x: 480, y: 0 });
    expect(layoutOf(menuFlow, new Map([['main', { x: 1.4, y: 2.6 }]]))).to.deep.equal([
      { id: 'main', x: 1, y: 3 },
    ]);
  });
});
