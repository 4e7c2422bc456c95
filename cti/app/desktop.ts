import { Logger, errorText } from '../../lib/log';
import type { DesktopPorts } from '../agent-gateway/desktop';
import type { CtiDomain } from '../domain';
import { agentSnapshot, enteredAt, wrapUpEndsAt, type AgentStatusSources } from './agent-status';
import { CallControlRefused } from './call-control';
import { devicesOf, type Device, type DeviceChoices } from './devices';
import type { AgentContact } from './directory';
import type { LostCalls } from './lost-calls';
import type { OutboundCalls } from './outbound';
import type { RoutingService } from './routing';

export interface DesktopServicePorts {
  domain: CtiDomain;
  routing: Pick<RoutingService, 'agentEvent'>;
  phones: ReadonlyMap<string, AgentContact>;
  devices: DeviceChoices;
  status: AgentStatusSources;
  /** The tasks an agent holds (cti/tasks/service.ts): the snapshot lists them. */
  tasksOf?: (agentId: string) => ReturnType<NonNullable<AgentStatusSources['tasks']>>;
  lost: LostCalls;
  outbound: OutboundCalls;
  /** Resolves once CTI's state (the device choices with it) is stored. */
  persist?: () => Promise<void>;
  log: Logger;
}

/** Interface A's desktop additions over CTI's parts (gateway.ts calls them one at a time per agent). */
export class DesktopService implements DesktopPorts {
  constructor(private readonly ports: DesktopServicePorts) {}

  snapshot(agentId: string) {
    const { status, tasksOf } = this.ports;
    return agentSnapshot(tasksOf === undefined ? status : { ...status, tasks: tasksOf }, agentId);
  }

  wrapUpEndsAt(agentId: string): string | undefined {
    return wrapUpEndsAt(this.ports.domain, agentId);
  }

  enteredAt(contactId: string): string | undefined {
    return enteredAt(this.ports.domain, contactId);
  }

  async login(agentId: string, device?: Device): Promise<void> {
    const state = this.ports.domain.agentView(agentId);
    // Logged in already: a device given is a device change (the page re-sends its choice).
    if (state.ok && state.value.state !== 'logged-out') {
      if (device !== undefined) await this.device(agentId, device);
      return;
    }
    if (device !== undefined) this.choose(agentId, device);
    await this.ports.routing.agentEvent('login', agentId);
  }

  async device(agentId: string, device: Device): Promise<void> {
    const view = this.ports.domain.agentView(agentId);
    if (!view.ok || view.value.state === 'logged-out')
      throw new CallControlRefused('logged_out', 'log in first; login takes the device');
    const current = this.ports.devices.current(this.ports.phones.get(agentId));
    if (current === device) return this.choose(agentId, device);
    if (view.value.realtimeContactId !== undefined)
      throw new CallControlRefused('busy', 'the device cannot change during a contact');
    this.choose(agentId, device);
    // No routing change carries it: stored now, so a CTI restart rings the device just chosen.
    await this.ports.persist?.();
  }

  takeBack(agentId: string, contactId: string): Promise<void> {
    return this.ports.lost.takeBack(agentId, contactId);
  }

  async dial(agentId: string, number: string, queueId?: string): Promise<void> {
    await this.ports.outbound.dial(agentId, number, queueId);
  }

  connectionLost(agentId: string): void {
    this.ports.lost
      .connectionLost(agentId)
      .catch((err: unknown) =>
        this.ports.log.error('lost client not handled', { agentId, error: errorText(err) }),
      );
  }

  private choose(agentId: string, device: Device): void {
    if (!devicesOf(this.ports.phones.get(agentId))[device])
      throw new CallControlRefused('no_device', `this agent has no ${device}`);
    this.ports.devices.set(agentId, device);
  }
}
