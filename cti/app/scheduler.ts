import type { Scheduler } from './routing';

/** The domain's timers on the event loop; one handle per timer id, removed when it fires or is cancelled. */
export function timerScheduler(now: () => number = Date.now): Scheduler & { readonly size: number } {
  const handles = new Map<string, NodeJS.Timeout>();
  return {
    schedule(id, dueAt, fire) {
      const old = handles.get(id);
      if (old !== undefined) clearTimeout(old);
      handles.set(
        id,
        setTimeout(
          () => {
            handles.delete(id);
            fire();
          },
          Math.max(0, dueAt - now()),
        ),
      );
    },
    cancel(id) {
      const h = handles.get(id);
      if (h !== undefined) clearTimeout(h);
      handles.delete(id);
    },
    get size() {
      return handles.size;
    },
  };
}
