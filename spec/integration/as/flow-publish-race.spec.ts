import winston from 'winston';
import { IvrFlow } from '../../../as/models';
import { ChangeOutbox, type OutboxStore } from '../../../as/outbox/outbox';
import { documentOutboxStore } from '../../../as/outbox/store';
import { FlowVersionService } from '../../../as/plugins/admin/flows/versions';
import type { FlowNode } from '../../../lib/flow/flow';
import { expect } from '../../support/chai';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

const silent = winston.createLogger({ silent: true });
const playing = (prompt: string) => ({
  entry: 'hello',
  nodes: [
    { id: 'hello', type: 'play', prompt, next: 'bye' },
    { id: 'bye', type: 'hangup' },
  ] as FlowNode[],
});

/**
 * The publish race (as/plugins/admin/flows/versions.ts): a draft saved between a publish's read of the
 * draft and its write of the live graph must stay the draft. The save is made to land exactly there:
 * the publish's outbox record is written after its read and before its update, so an outbox store that
 * saves a draft on its first insert interleaves the two on the real store.
 */
describe('AS IVR flow publish race (integration)', () => {
  let f: Fixture;
  const admin = () => ({ id: f.ids.admin, roles: ['admin' as const] });

  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  async function draftFlow(number: string): Promise<string> {
    const created = await call(f, 'POST', '/api/v1/ivr-flows', {
      token: f.tokens.admin,
      payload: { name: `Race ${number}`, calledNumber: number, publish: false, ...playing('welcome') },
    });
    expect(created.statusCode).to.equal(201);
    return body<{ id: string }>(created).id;
  }

  /** A publisher whose outbox insert (between read and update) first runs `meanwhile`. */
  function racingPublisher(meanwhile: () => Promise<void>) {
    let ran = 0;
    const store: OutboxStore = {
      ...documentOutboxStore,
      insert: async (change, at) => {
        if (ran++ === 0) await meanwhile();
        return documentOutboxStore.insert(change, at);
      },
    };
    return { service: new FlowVersionService(new ChangeOutbox(store, silent, undefined)), ran: () => ran };
  }

  it('keeps a draft saved between the read and the update; the draft read goes live', async () => {
    const id = await draftFlow('7311');
    const editor = new FlowVersionService(new ChangeOutbox(documentOutboxStore, silent, undefined));
    const racing = racingPublisher(async () => {
      await editor.saveDraft(id, playing('menu'), admin());
    });
    const published = await racing.service.publish(id, admin());
    expect(racing.ran()).to.equal(1);
    expect(published.publishedVersion).to.equal(1);

    const stored = await IvrFlow.findById(id).lean();
    expect((stored?.nodes as FlowNode[])[0]).to.include({ id: 'hello', prompt: 'welcome' });
    // The save that came during the publish is still the draft, not dropped with the published one.
    const kept = stored?.draft as { nodes: FlowNode[] } | undefined;
    expect(kept?.nodes[0]).to.include({ prompt: 'menu' });
    const live = await call(f, 'GET', '/api/v1/ivr/flows/7311', { token: f.tokens.ivr });
    expect(body<{ nodes: { prompt?: string }[] }>(live).nodes[0]?.prompt).to.equal('welcome');

    // Publishing again makes that newer draft version 2 and clears it.
    const second = await call(f, 'POST', `/api/v1/ivr-flows/${id}/publish`, { token: f.tokens.admin });
    expect(second.statusCode).to.equal(200);
    const after = await IvrFlow.findById(id).lean();
    expect([after?.publishedVersion, (after?.nodes as FlowNode[])[0]?.type, after?.draft]).to.deep.equal([
      2,
      'play',
      undefined,
    ]);
    expect(((after?.nodes as FlowNode[])[0] as { prompt: string }).prompt).to.equal('menu');
  });

  it('drops the draft it published when nothing was saved meanwhile', async () => {
    const id = await draftFlow('7312');
    const racing = racingPublisher(() => Promise.resolve());
    await racing.service.publish(id, admin());
    const stored = await IvrFlow.findById(id).lean();
    expect(stored?.draft).to.equal(undefined);
    expect(stored?.publishedVersion).to.equal(1);
  });
});
