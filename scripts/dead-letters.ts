import { DeadLetterQueue } from '../lib/bus/dead-letter-queue';
import type { DeadLetter } from '../lib/bus/dead-letter-view';

/**
 * The dead-letter queue for an operator (docs/operations/supervision.md, "Dead letters"):
 *   dead-letters list [--limit N] [--json]   what is there, oldest first; nothing is taken away
 *   dead-letters replay <id> | --all         back to the original exchange and routing key
 * Uses AMQP_URL (the ops user after load_env; npm run dead-letters sets it up).
 */
const USAGE = 'usage: dead-letters list [--limit N] [--json] | replay <id> | replay --all';

function line(d: DeadLetter): string {
  return [
    d.time ?? '-',
    d.id,
    d.type ?? '-',
    `${d.exchange || '(default)'} ${d.routingKey}`,
    d.reason.replace(/\s*\n\s*/g, '; '),
  ].join('  ');
}

function limitOf(args: string[]): number {
  const at = args.indexOf('--limit');
  if (at === -1) return 100;
  const n = Number(args[at + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--limit needs a positive integer\n${USAGE}`);
  return n;
}

async function main(args: string[]): Promise<void> {
  const url = process.env.AMQP_URL;
  if (url === undefined || url === '')
    throw new Error('AMQP_URL is not set (source scripts/lib.sh && load_env)');
  const [command, target] = args;
  if (command !== 'list' && command !== 'replay') throw new Error(USAGE);
  if (command === 'replay' && (target === undefined || target === '')) throw new Error(USAGE);
  const q = await DeadLetterQueue.open(url);
  try {
    if (command === 'list') {
      const letters = await q.list(limitOf(args));
      if (args.includes('--json')) process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
      else for (const d of letters) process.stdout.write(`${line(d)}\n`);
      process.stderr.write(`${letters.length} dead letter(s) listed\n`);
      return;
    }
    const replayed = await q.replay(target === '--all' ? () => true : (d) => d.id === target);
    for (const d of replayed) process.stdout.write(`replayed ${line(d)}\n`);
    if (replayed.length === 0 && target !== '--all') throw new Error(`no dead letter with id ${target}`);
    process.stderr.write(`${replayed.length} dead letter(s) replayed\n`);
  } finally {
    await q.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
