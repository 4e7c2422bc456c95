import { randomUUID } from 'node:crypto';
import { MongoClient, type Collection } from 'mongodb';
import { expect } from '../../support/chai';
import { Interaction } from '../../../as/models';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

const TRIALS = 12;
/** About CTI's pace on a live contact (a write after 300 ms of quiet, at most 1 s held), tightened. */
const OTHER_WRITER_EVERY_MS = 100;

interface Doc {
  _id: string;
  disposition?: string;
  notes?: Array<{ text: string }>;
  timeline: Array<{ at?: Date; type: string; data?: { disposition?: string } }>;
  writes?: number;
}

/** Updates the document every `everyMs` from its own client (as CTI's write-behind does) until stopped. */
function otherWriter(col: Collection<Doc>, id: string, everyMs: number): () => Promise<number> {
  let stop = false;
  let n = 0;
  const running = (async () => {
    while (!stop) {
      await col.updateOne(
        { _id: id },
        { $push: { timeline: { at: new Date(), type: 'CtiLike' } }, $inc: { writes: 1 } },
      );
      n += 1;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    stop = true;
    await running;
    return n;
  };
}

/**
 * FerretDB v1 loses one of two concurrent updates of a document (as/domain/until-seen.ts). An agent's
 * disposition and notes are written while another process keeps updating the same interaction, as CTI
 * does while the contact lives; each must be stored, every time. The raw store's loss rate is printed
 * beside it (not asserted: a store that does not lose updates is what we want).
 */
describe('AS: an agent write survives concurrent updates of the same interaction (integration)', function () {
  this.timeout(120_000);
  let f: Fixture;
  let client: MongoClient;
  let col: Collection<Doc>;

  before(async () => {
    f = await setUp();
    client = new MongoClient(process.env.MONGODB_URI as string, { serverSelectionTimeoutMS: 3000 });
    await client.connect();
    col = client.db(f.dbName).collection<Doc>('interactions');
  });
  after(async () => {
    await client?.close();
    await tearDown(f);
  });

  const contact = async (): Promise<string> => {
    const id = randomUUID();
    await Interaction.create({
      _id: id,
      channel: 'voice',
      direction: 'inbound',
      from: '+33199000001',
      to: '100',
      state: 'ended',
      agentId: f.ids.agentA,
      queueId: 'sales',
      timeline: [],
    });
    return id;
  };

  it(`the store itself: two updates of one document at once (${TRIALS * 4} pairs)`, async () => {
    let lost = 0;
    for (let i = 0; i < TRIALS * 4; i++) {
      const id = await contact();
      await Promise.all([
        Interaction.updateOne({ _id: id }, { $set: { disposition: 'sale' } }),
        col.updateOne({ _id: id }, { $inc: { writes: 1 } }),
      ]);
      const d = await col.findOne({ _id: id });
      if (d?.disposition !== 'sale' || d.writes !== 1) lost += 1;
    }
    console.log(`      the store lost one update of ${lost} of ${TRIALS * 4} concurrent pairs`);
  });

  it(`dispositions and notes set during another writer's updates are all stored (${TRIALS} contacts)`, async () => {
    const problems: string[] = [];
    let otherWrites = 0;
    for (let i = 0; i < TRIALS; i++) {
      const id = await contact();
      const code = i % 2 === 0 ? 'sale' : 'resolved';
      const text = `note ${i} ${randomUUID().slice(0, 6)}`;
      const stop = otherWriter(col, id, OTHER_WRITER_EVERY_MS);
      const [put, note] = await Promise.all([
        call(f, 'PUT', `/api/v1/interactions/${id}/disposition`, {
          token: f.tokens.agentA,
          payload: { disposition: code },
        }),
        call(f, 'POST', `/api/v1/interactions/${id}/notes`, { token: f.tokens.agentA, payload: { text } }),
      ]);
      otherWrites += await stop();
      if (put.statusCode !== 200) problems.push(`${i}: disposition answered ${put.statusCode}`);
      else if (body<{ disposition?: string }>(put).disposition !== code)
        problems.push(`${i}: disposition answer says ${String(body(put).disposition)}`);
      if (note.statusCode !== 201 && note.statusCode !== 200)
        problems.push(`${i}: note answered ${note.statusCode}`);
      const d = await col.findOne({ _id: id });
      if (d?.disposition !== code) problems.push(`${i}: stored disposition ${String(d?.disposition)}`);
      if (!(d?.timeline ?? []).some((e) => e.type === 'DispositionSet' && e.data?.disposition === code))
        problems.push(`${i}: no DispositionSet in the timeline`);
      if (!(d?.notes ?? []).some((n) => n.text === text)) problems.push(`${i}: note not stored`);
    }
    console.log(`      ${TRIALS} contacts, ${otherWrites} updates by the other writer meanwhile`);
    expect(problems, problems.join('; ')).to.deep.equal([]);
  });
});
