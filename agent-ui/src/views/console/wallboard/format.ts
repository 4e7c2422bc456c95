import { formatDuration } from '../../../domain/timing';
import { STRINGS } from '../../../strings';

/** How the wallboard shows CTI's agent states (the desktop's words for them). */
const STATE_LABELS: ReadonlyMap<string, string> = new Map([
  ['logged-out', STRINGS.state_logged_out],
  ['not-ready', STRINGS.state_not_ready],
  ['ready', STRINGS.state_ready],
  ['reserved', STRINGS.state_reserved],
  ['ringing', STRINGS.state_ringing],
  ['talking', STRINGS.state_talking],
  ['wrap-up', STRINGS.state_wrap_up],
]);

export function stateLabel(state: string): string {
  return STATE_LABELS.get(state) ?? state;
}

/** `m:ss` since `at` on CTI's clock (`now` already corrected by the board's skew); a dash for none. */
export function since(at: number | null | undefined, now: number): string {
  return at === null || at === undefined ? STRINGS.wbNone : formatDuration(now - at);
}

export function seconds(ms: number | null): string {
  return ms === null ? STRINGS.wbNone : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

export const MODE_LABELS = {
  listen: STRINGS.wbModeListen,
  whisper: STRINGS.wbModeWhisper,
  barge: STRINGS.wbModeBarge,
} as const;
