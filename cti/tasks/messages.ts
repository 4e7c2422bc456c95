import type { TaskInfo } from './book';

/**
 * Interface A's task messages (docs/tasks.md), server to agent. The agent's commands (accept-task,
 * reject-task, complete-task) are in cti/agent-gateway/protocol.ts with the rest of the client's.
 */
export type TaskEndReason = 'completed' | 'rejected' | 'timed-out' | 'ended';

export type TaskServerMessage =
  /** A task offered to this agent: accept or reject it before `expiresAt` (absent: no offer timeout). */
  | {
      type: 'task-offer';
      contactId: string;
      queueId: string;
      channel: TaskInfo['channel'];
      from: string;
      subject?: string;
      enteredAt: string;
      expiresAt?: string;
    }
  | { type: 'task-accepted'; contactId: string }
  /** The task left this agent: completed, rejected, its offer timed out, or it ended otherwise. */
  | { type: 'task-ended'; contactId: string; reason: TaskEndReason }
  /** A new inbound message joined a task this agent holds (ISAG's TaskUpdated). */
  | { type: 'task-message'; contactId: string; messageId: string };

/** A task the agent holds, as the snapshot lists it. */
export interface TaskStatus {
  contactId: string;
  queueId: string;
  channel: TaskInfo['channel'];
  from: string;
  subject?: string;
  state: 'offered' | 'accepted';
  /** When it was offered (offered) or accepted (accepted). */
  since: string;
}

/** Where the task service pushes its messages: the agent gateway (every connection of the agent). */
export interface TaskNotifier {
  toAgent(agentId: string, message: TaskServerMessage): void;
}
