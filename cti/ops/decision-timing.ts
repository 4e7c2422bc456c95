import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { RoutingService, type RoutingPorts } from '../app/routing';
import type { DecisionTrigger } from './metrics';

interface Started {
  readonly at: number;
  readonly trigger: DecisionTrigger;
}

/**
 * Times routing decisions without touching the routing code: the triggers (a contact queued, an agent
 * ready) run inside an async context holding their start, and the offer port reports when a
 * DivertCall or DialCallback leaves within such a context. Offers made by timers or after a restart
 * carry no start and are not timed.
 */
export class DecisionTiming {
  private readonly started = new AsyncLocalStorage<Started>();

  constructor(private readonly observe: (trigger: DecisionTrigger, seconds: number) => void) {}

  run<T>(trigger: DecisionTrigger, work: () => Promise<T>): Promise<T> {
    return this.started.run({ at: performance.now(), trigger }, work);
  }

  /** Called by the offer port as the command leaves. */
  decided(): void {
    const started = this.started.getStore();
    if (started !== undefined) this.observe(started.trigger, (performance.now() - started.at) / 1000);
  }
}

/** The routing service with its two triggers timed. */
export class TimedRoutingService extends RoutingService {
  constructor(
    private readonly timing: DecisionTiming,
    ports: RoutingPorts,
  ) {
    super(ports);
  }

  override contactQueued(contactId: string, queueId: string): Promise<void> {
    return this.timing.run('contact-queued', () => super.contactQueued(contactId, queueId));
  }

  override agentEvent(
    kind: 'login' | 'logout' | 'ready' | 'not-ready',
    agentId: string,
    reason?: string,
  ): Promise<void> {
    if (kind !== 'ready') return super.agentEvent(kind, agentId, reason);
    return this.timing.run('agent-ready', () => super.agentEvent(kind, agentId, reason));
  }
}
