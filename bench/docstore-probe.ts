import mongoose from 'mongoose';
async function probe(uri: string) {
  const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 3000 }).asPromise();
  const Ix = conn.model(
    'Ix',
    new mongoose.Schema(
      { _id: String, agentId: String, n: Number, at: Date, timeline: [{ at: Date, type: { type: String } }] },
      { versionKey: false },
    ),
  );
  const out: Record<string, string> = {};
  const t = async (name: string, f: () => Promise<unknown>) => {
    const s = performance.now();
    try {
      await f();
      out[name] = `${(performance.now() - s).toFixed(0)}ms`;
    } catch (e) {
      out[name] = 'FAIL ' + (e as Error).message.slice(0, 80);
    }
  };
  await Ix.deleteMany({});
  await t('createIndex', () => Ix.collection.createIndex({ agentId: 1, at: -1 }));
  await t('insert 2000', () =>
    Ix.insertMany(
      Array.from({ length: 2000 }, (_, i) => ({
        _id: `c${i}`,
        agentId: `a${i % 20}`,
        n: i,
        at: new Date(Date.now() - i * 1000),
        timeline: [],
      })),
    ),
  );
  await t('500 updates $push', async () => {
    for (let i = 0; i < 500; i++)
      await Ix.updateOne({ _id: `c${i}` }, { $push: { timeline: { at: new Date(), type: 'X' } } });
  });
  await t('500 finds by index', async () => {
    for (let i = 0; i < 500; i++)
      await Ix.find({ agentId: `a${i % 20}` })
        .sort({ at: -1 })
        .limit(5)
        .lean();
  });
  await t('aggregate group', () =>
    Ix.aggregate([
      { $match: { n: { $gte: 0 } } },
      { $group: { _id: '$agentId', c: { $sum: 1 }, avg: { $avg: '$n' } } },
    ]),
  );
  await t('aggregate $dateTrunc-ish $project', () =>
    Ix.aggregate([{ $project: { h: { $hour: '$at' } } }, { $group: { _id: '$h', c: { $sum: 1 } } }]),
  );
  await t('findOneAndUpdate upsert', () =>
    Ix.findOneAndUpdate({ _id: 'zz' }, { $set: { n: 1 } }, { upsert: true, new: true }),
  );
  await t('transaction', async () => {
    const s = await conn.startSession();
    await s.withTransaction(async () => {
      await Ix.create([{ _id: 'tx', n: 1 }], { session: s });
    });
    await s.endSession();
  });
  await t('change stream', async () => {
    const cs = Ix.watch();
    await new Promise((r, j) => {
      cs.on('error', j);
      setTimeout(r, 300);
    });
    await cs.close();
  });
  // the store's URI carries a password since each client needs one: never printed
  console.log(uri.replace(/\/\/[^@/]*@/, '//***@'), JSON.stringify(out, null, 1));
  await conn.close();
}
void (async () => {
  for (const u of process.argv.slice(2)) await probe(u);
})();
