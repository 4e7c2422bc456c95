/**
 * Writes .run/pjsip_agents.conf from the agents in the document store, at provisioning (up.sh, test.sh):
 * scripts/asterisk.sh copies it into Asterisk's configuration at every start. While the system runs,
 * SoftACD keeps the running Asterisk's copy current from the AS's change events
 * (stasis-app/provisioning/endpoint-sync.ts). Usage: npx tsx scripts/agent-endpoints.ts [outfile]
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import { env } from '../lib/config';
import { listEndpoints } from '../as/outbox/endpoints';
import { renderAgentEndpoints } from '../stasis-app/provisioning/agent-endpoints';

async function main(): Promise<void> {
  // scripts/asterisk.sh copies it from $IPCC_RUN (a git worktree shares the main checkout's run directory).
  const runDir = process.env.IPCC_RUN ?? path.resolve(__dirname, '..', '.run');
  const out = process.argv[2] ?? path.join(runDir, 'pjsip_agents.conf');
  await mongoose.connect(env('MONGODB_URI'), { serverSelectionTimeoutMS: 5000, bufferCommands: false });
  try {
    // The same list, from the same model, as the AS's agent change events carry.
    const agents = await listEndpoints();
    await writeFile(out, renderAgentEndpoints(agents, env('AGENT_SIP_SECRET')), { mode: 0o600 });
    console.log(`wrote ${agents.length} agents' endpoints to ${out}`);
  } finally {
    await mongoose.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
