/**
 * Writes the fax numbers' dialplan (extensions_ipcc_fax_numbers.conf) from the fax queues' addresses in
 * the document store, at provisioning (up.sh, test.sh, the compose init): scripts/asterisk.sh copies it
 * into Asterisk's configuration at every start. While the system runs, ISAG keeps the running Asterisk's
 * copy current on every queue change (isag/fax/dialplan-sync.ts). For an Asterisk ISAG cannot write to,
 * run it after changing a fax queue's addresses, copy the file next to extensions_ipcc_fax.conf and
 * `dialplan reload`. Usage: npx tsx scripts/fax-numbers.ts [outfile]
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { env } from '../lib/config';
import { AddressDirectory } from '../isag/core/addresses';
import { IsagStore } from '../isag/core/store';
import { FAX_DIALPLAN_FILE, faxNumbers, renderFaxDialplan } from '../isag/fax/dialplan';

async function main(): Promise<void> {
  const runDir = process.env.IPCC_RUN ?? path.resolve(__dirname, '..', '.run');
  const out = process.argv[2] ?? path.join(runDir, FAX_DIALPLAN_FILE);
  const client = new MongoClient(env('MONGODB_URI'), { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  try {
    // The same reading and the same address keys as ISAG's address book.
    const book = new AddressDirectory(await new IsagStore(client.db()).queueAddressing());
    const { numbers, refused } = faxNumbers(book.addresses('fax'));
    await writeFile(out, renderFaxDialplan(numbers), { mode: 0o644 });
    console.log(`wrote ${numbers.length} fax numbers (${numbers.join(', ')}) to ${out}`);
    if (refused.length > 0) console.log(`left out, not dialable: ${refused.join(', ')}`);
  } finally {
    await client.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
