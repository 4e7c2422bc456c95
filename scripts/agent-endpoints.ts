/**
 * Writes .run/pjsip_agents.conf from the agents in the document store; scripts/asterisk.sh copies it into
 * Asterisk's config and reloads PJSIP. Usage: npx tsx scripts/agent-endpoints.ts [outfile]
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { env } from '../lib/config';
import { renderAgentEndpoints } from '../stasis-app/provisioning/agent-endpoints';

async function main(): Promise<void> {
  // scripts/asterisk.sh copies it from $IPCC_RUN (a git worktree shares the main checkout's run directory).
  const runDir = process.env.IPCC_RUN ?? path.resolve(__dirname, '..', '.run');
  const out = process.argv[2] ?? path.join(runDir, 'pjsip_agents.conf');
  const mongo = new MongoClient(env('MONGODB_URI'), { serverSelectionTimeoutMS: 5000 });
  try {
    await mongo.connect();
    const agents = await mongo
      .db()
      .collection<{ login: string; active?: boolean; endpoints?: { sip?: string; webrtc?: string } }>(
        'agents',
      )
      .find({ active: { $ne: false } })
      .toArray();
    const text = renderAgentEndpoints(
      agents.map((a) => ({ login: a.login, sip: a.endpoints?.sip, webrtc: a.endpoints?.webrtc })),
      env('AGENT_SIP_SECRET'),
    );
    await writeFile(out, text, { mode: 0o600 });
    console.log(`wrote ${agents.length} agents' endpoints to ${out}`);
  } finally {
    await mongo.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
