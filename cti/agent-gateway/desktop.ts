import type { AgentSnapshotMessage } from '../app/agent-status';
import type { Device } from '../app/devices';

/**
 * What interface A needs for the agent desktop beyond the call path: devices, the snapshot a reloaded
 * page asks for, taking back a call a lost client left on hold, click-to-dial. cti/app/desktop.ts builds
 * it; a refusal is a CallControlRefused (its code goes to the client as an `error`).
 */
export interface DesktopPorts {
  snapshot(agentId: string): AgentSnapshotMessage | undefined;
  wrapUpEndsAt(agentId: string): string | undefined;
  enteredAt(contactId: string): string | undefined;
  /** Logs in on `device` (default: desk if the agent has one, else softphone). */
  login(agentId: string, device?: Device): Promise<void>;
  /** Changes device while logged in; refused (`busy`) during a contact. */
  device(agentId: string, device: Device): Promise<void>;
  takeBack(agentId: string, contactId: string): Promise<void>;
  dial(agentId: string, number: string, queueId?: string): Promise<void>;
  /** The agent's last connection closed (held if it talked on the softphone). */
  connectionLost(agentId: string): void;
}
