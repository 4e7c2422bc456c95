import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { backup, restore, RestoreRefused } from './backup/run';

/**
 * npm run backup -- [--out file] [--db name] [--spool dir]
 * npm run restore -- <file> [--drop] [--db name] [--spool dir]
 *
 * The store is MONGODB_URI (the ops user after `load_env`), its database by default the URI's; the
 * recordings are Asterisk's spool in the chroot. docs/operations/backups.md says what a backup holds.
 */
const USAGE = 'usage: backup [--out file] | restore <file> [--drop]   (both: [--db name] [--spool dir])';

interface Args {
  command: 'backup' | 'restore';
  file?: string;
  out?: string;
  db?: string;
  spool?: string;
  drop: boolean;
}

export function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'backup' && command !== 'restore') throw new Error(USAGE);
  const args: Args = { command, drop: false };
  for (let i = 0; i < rest.length; i += 1) {
    const a = rest[i] as string;
    const value = () => {
      const v = rest[(i += 1)];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--out') args.out = value();
    else if (a === '--db') args.db = value();
    else if (a === '--spool') args.spool = value();
    else if (a === '--drop') args.drop = true;
    else if (!a.startsWith('--') && command === 'restore' && args.file === undefined) args.file = a;
    else throw new Error(`unexpected ${a}\n${USAGE}`);
  }
  if (command === 'restore' && args.file === undefined) throw new Error(USAGE);
  return args;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[:.]/g, '-');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run after `source scripts/lib.sh && load_env`');
  const root = process.env.IPCC_ROOT ?? process.cwd();
  const chroot = process.env.IPCC_CHROOT ?? '/var/lib/ipcc/sid';
  const spool = args.spool ?? path.join(chroot, 'var/spool/asterisk');
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const db = client.db(args.db);
    if (args.command === 'backup') {
      const out = path.resolve(
        args.out ?? path.join(root, '.run/backups', `ipcc-${stamp(new Date())}.tar.gz`),
      );
      await mkdir(path.dirname(out), { recursive: true });
      const m = await backup({ db, spool, out, root });
      const docs = Object.values(m.collections).reduce((n, c) => n + c.count, 0);
      console.log(
        `backup ${out}: ${Object.keys(m.collections).length} collections, ${docs} documents, ${Object.keys(m.recordings).length} recordings`,
      );
    } else {
      const m = await restore({ db, spool, file: path.resolve(args.file as string), drop: args.drop });
      console.log(
        `restored ${Object.keys(m.collections).length} collections and ${Object.keys(m.recordings).length} recordings into ${db.databaseName}; counts and checksums match the manifest`,
      );
    }
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(
      err instanceof RestoreRefused ? `refused: ${err.message}` : err instanceof Error ? err.message : err,
    );
    process.exit(err instanceof RestoreRefused ? 2 : 1);
  });
}
