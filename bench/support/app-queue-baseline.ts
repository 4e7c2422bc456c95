import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_OUT as PROMPTS_BUILT } from '../../stasis-app/media/build';
import { endpointOf } from './bench-agents';
import { runDir } from './bench-system';

/**
 * The app_queue baseline of bench/full-path.ts: its Asterisk files (scripts/asterisk.sh copies them only
 * while they exist) and the length of the prompt both paths play.
 */

export const NATIVE_NUMBER = '9901';

/** Writes the app_queue baseline's Asterisk files; returns the number of queue members written. */
export function writeNativeConfig(n: number): number {
  const dir = path.join(runDir(), 'bench-asterisk');
  mkdirSync(dir, { recursive: true });
  // The bench's caller identifies as this endpoint (From user), so only it reaches the baseline's context.
  writeFileSync(
    path.join(dir, 'pjsip_bench.conf'),
    [
      '; bench/full-path.ts: the app_queue baseline caller',
      '[benchnative](customer)',
      'context = bench-native',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'extensions_bench.conf'),
    [
      '; bench/full-path.ts: the same job as the project, natively: answer, the same welcome prompt, a queue.',
      '[bench-native]',
      'exten => _X.,1,Answer()',
      ' same => n,Playback(ipcc/welcome)',
      // Queue entry time and the caller's Call-ID travel to the agent's phone in a header (predial below).
      ' same => n,Set(__BENCH_ENTER=${STRFTIME(,,%s.%3q)})',
      ' same => n,Set(__BENCH_CALL=${CHANNEL(pjsip,call-id)})',
      ' same => n,Queue(bench,b(bench-predial^s^1))',
      ' same => n,Hangup()',
      '',
      '[bench-predial]',
      'exten => s,1,Set(PJSIP_HEADER(add,X-Bench)=${BENCH_CALL} ${BENCH_ENTER})',
      ' same => n,Return()',
      '',
    ].join('\n'),
  );
  const members = Array.from({ length: n }, (_, i) => `member => PJSIP/${endpointOf(i)}`);
  writeFileSync(
    path.join(dir, 'queues.conf'),
    [
      '; bench/full-path.ts: N static members, longest idle first (the project queue uses longest-idle).',
      '[general]',
      'persistentmembers = no',
      '',
      '[bench]',
      'strategy = leastrecent',
      'ringinuse = no',
      'timeout = 20',
      'retry = 1',
      'wrapuptime = 0',
      'autofill = yes',
      'joinempty = yes',
      'leavewhenempty = no',
      ...members,
      '',
    ].join('\n'),
  );
  return members.length;
}

/** Seconds of the built prompt `name`, from its µ-law file (8 kHz, one byte a sample). */
export function promptSeconds(name: string): number {
  return statSync(path.join(PROMPTS_BUILT, `${name}.ulaw`)).size / 8000;
}

export function removeNativeConfig(): void {
  rmSync(path.join(runDir(), 'bench-asterisk'), { recursive: true, force: true });
}
