import { AriError } from './rest';

/**
 * A channel, bridge or playback can vanish between an event and the request that follows it (the caller
 * hung up). ARI then answers 404 (or 409 for a channel not in Stasis): an ordinary outcome, so it is
 * turned into `undefined` here rather than in a hundred try/catch blocks.
 */
export function isGone(err: unknown): boolean {
  if (err instanceof AriError && (err.status === 404 || err.status === 409)) return true;
  // Some operations say it with another status: addChannel answers 400 "Channel not found".
  if (!(err instanceof Error)) return false;
  const text = err.message;
  return /not found|not in stasis|404|409|Channel not in Stasis application|Playback not found/i.test(text);
}

export async function ifPresent<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
}

/** For requests with no useful answer: true when done, false when the resource was already gone. */
export async function done(request: Promise<unknown>): Promise<boolean> {
  try {
    await request;
    return true;
  } catch (err) {
    if (isGone(err)) return false;
    throw err;
  }
}
