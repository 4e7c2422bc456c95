import type { MessageOf } from '../../lib/messages';

/** What a desk phone asked for by the number it dialled (docs/agent-desktop.md, "Desk-phone feature codes"). */
export type FeatureRequest =
  | { feature: 'login' | 'logout' | 'ready' }
  | { feature: 'not-ready'; reasonDigit: number }
  | { feature: 'dial'; number: string };

/** The outside-line prefix: `9<number>` dials out. */
const DIAL_PREFIX = '9';
/** AgentFeature's limit on the dialled number (digits, * or #, optionally after +; at most 32). */
const DIALLED = /^\+?[0-9*#]{1,32}$/;

/**
 * The feature a dialled extension names, or undefined for anything else (the phone hears "refused").
 * `*61` log in, `*62` log out, `*63` ready, `*64N` not ready with reason N (1-9), `9<number>` dial out.
 */
export function parseFeatureCode(exten: string): FeatureRequest | undefined {
  switch (exten) {
    case '*61':
      return { feature: 'login' };
    case '*62':
      return { feature: 'logout' };
    case '*63':
      return { feature: 'ready' };
  }
  const notReady = /^\*64([1-9])$/.exec(exten);
  if (notReady?.[1] !== undefined) return { feature: 'not-ready', reasonDigit: Number(notReady[1]) };
  if (exten.startsWith(DIAL_PREFIX)) {
    const number = exten.slice(DIAL_PREFIX.length);
    // A lone `9`, or a number with a feature code's star in front, is not a number to call.
    if (DIALLED.test(number) && !number.startsWith('*')) return { feature: 'dial', number };
  }
  return undefined;
}

/** `PJSIP/<name>` from a channel name (`PJSIP/agent1001-0000002a`): the phone that dialled. */
export function endpointOfChannel(channelName: string): string | undefined {
  const m = /^([A-Za-z0-9]+\/[A-Za-z0-9_.-]{1,64})-[0-9a-f]+$/.exec(channelName);
  return m?.[1];
}

/** The prompt (sound:ipcc/<name>) that tells the agent how its feature code ended. */
export function featurePrompt(
  request: FeatureRequest | undefined,
  result: Pick<MessageOf<'AgentFeatureResult'>, 'ok'> | undefined,
): string {
  if (request === undefined || result === undefined || !result.ok) return 'feature-refused';
  switch (request.feature) {
    case 'login':
      return 'feature-logged-in';
    case 'logout':
      return 'feature-logged-out';
    case 'ready':
      return 'feature-ready';
    case 'not-ready':
      return 'feature-not-ready';
    case 'dial':
      return 'feature-dial-failed';
  }
}
