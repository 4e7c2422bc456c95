import { AsyncLocalStorage } from 'node:async_hooks';

interface Scope {
  writes: Array<Promise<unknown>>;
  open: boolean;
}

/**
 * Writes a message's handling starts but does not wait for: history (timeline entries, agent-state
 * records) that nothing on the call path reads. The handling goes on at once (commands leave, the
 * contact's next message is handled) while they are stored, and the message is acknowledged only once
 * they are, so a crash meanwhile redelivers it and nothing is lost.
 *
 * The scope is the message being handled (AsyncLocalStorage): the stores and services deep under the
 * handler defer their writes without every call in between carrying a list. Outside any message (a
 * timer, an agent's action on interface A) nobody waits for the write: its failure is reported to
 * `unwatched`.
 */
export class DeferredWrites {
  private readonly scope = new AsyncLocalStorage<Scope>();

  constructor(private readonly unwatched: (err: unknown) => void) {}

  /** Runs `task`; answers its result and a promise of every write it deferred (rejects if one failed). */
  async collect<T>(task: () => Promise<T>): Promise<{ result: T; written: Promise<void> }> {
    const scope: Scope = { writes: [], open: true };
    let result: T;
    try {
      result = await this.scope.run(scope, task);
    } catch (err) {
      // The message fails as a whole; its writes still report their own failures.
      scope.open = false;
      for (const write of scope.writes) write.catch(this.unwatched);
      throw err;
    }
    scope.open = false;
    return { result, written: Promise.all(scope.writes).then(() => undefined) };
  }

  /** Hands a started write to the message being handled (its ack waits for it). */
  defer(write: Promise<unknown>): void {
    const scope = this.scope.getStore();
    if (scope === undefined || !scope.open) {
      write.catch(this.unwatched);
      return;
    }
    // Its failure is reported through `written`; until that is awaited it must not count as unhandled.
    write.catch(() => undefined);
    scope.writes.push(write);
  }
}
