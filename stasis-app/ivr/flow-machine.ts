import type { FlowGraph, FlowNode, MenuNode, NodeId } from '../../lib/flow/flow';
import { positionAnnouncement, waitAnnouncement } from '../media/announce';

/**
 * The flow interpreter: one call's walk through a flow graph, as an explicit state table. Pure: it
 * imports no ARI or AMQP; the adapter (service.ts) feeds it events and executes the effects it returns,
 * in order. Playback and timer ids are handed out here (per call, `p1`, `t2`, ...) so a late event from a
 * stopped playback or a cancelled timer is recognised as stale instead of moving the call on.
 */
export type QueueAction = 'voicemail' | 'callback' | 'release';
/** What CTI asks for a caller whose queue is closed (business hours): a last prompt, or voicemail. */
export type ClosedAction =
  { action: 'prompt'; prompt: string } | { action: 'voicemail'; prompt: string | null };

export type IvrEvent =
  | { type: 'start' }
  | { type: 'dtmf'; digit: string }
  | { type: 'playbackFinished'; playbackId: string }
  | { type: 'timer'; timerId: string }
  /** The data step's answer: the speech prompt to play, or null when the caller or field is unknown. */
  | { type: 'data'; speech: string | null }
  | { type: 'queueStatus'; position: number | null; expectedWaitSec: number | null }
  | { type: 'queueTimeout'; action: QueueAction }
  /** CTI found the queue closed (business hours) when the caller asked for an agent. */
  | ({ type: 'queueClosed' } & ClosedAction)
  /** The business-hours branch's answer: whether the node's schedule is open now. */
  | { type: 'hours'; open: boolean }
  | { type: 'recordingFinished' };

export type Effect =
  /** Prompt names, played in order as one playback (`sound:ipcc/<name>` each). */
  | { kind: 'play'; playbackId: string; prompts: string[] }
  | { kind: 'stopPlayback'; playbackId: string }
  | { kind: 'startTimer'; timerId: string; ms: number }
  | { kind: 'cancelTimer'; timerId: string }
  | { kind: 'fetchData'; field: string }
  /** `callback`: queued only to book a callback (business hours do not turn it away). */
  | { kind: 'requestAgent'; queue: string; callback?: true }
  | { kind: 'requestCallback'; queue: string }
  /** Records a voicemail; `queue`: the queue the message is for (the contact's history shows it). */
  | { kind: 'record'; queue?: string }
  | { kind: 'checkHours'; schedule: string }
  | { kind: 'hangup' };

export type Phase =
  | { name: 'idle' }
  | { name: 'playing'; node: NodeId; playbackId: string }
  | { name: 'menuPrompt'; node: NodeId; playbackId: string; retries: number }
  /** Playing the invalid-key or no-input prompt before the menu prompt is repeated. */
  | { name: 'menuRetryPrompt'; node: NodeId; playbackId: string; retries: number }
  | { name: 'menuWait'; node: NodeId; timerId: string; retries: number }
  | { name: 'dataFetch'; node: NodeId }
  | { name: 'dataSpeak'; node: NodeId; playbackId: string }
  | { name: 'hoursCheck'; node: NodeId }
  /** The greeting before a voicemail recording starts. */
  | { name: 'voicemailGreeting'; playbackId: string; queue?: string }
  | { name: 'queued'; queue: string; playbackId: string; pending: QueueStatusNote | null }
  | { name: 'timeoutNotice'; queue: string; action: QueueAction; playbackId: string }
  /** The last prompt (goodbye, callback confirmation); the call is hung up when it ends. */
  | { name: 'farewell'; playbackId: string }
  | { name: 'recording' }
  | { name: 'ended' };

export type PhaseName = Phase['name'];

interface QueueStatusNote {
  position: number | null;
  expectedWaitSec: number | null;
}

export interface MachineState {
  phase: Phase;
  /** Counter behind playback and timer ids. */
  seq: number;
}

export interface MachineConfig {
  /** The prompt looped while a caller waits in a queue (voice and video). */
  queueMedia: (queue: string) => string;
  prompts: { timeout: string; goodbye: string; callbackConfirm: string };
}

export interface StepResult {
  state: MachineState;
  effects: Effect[];
  /** The event is not allowed in this state: a bug or a message sent to the wrong call; log it. */
  rejected?: string;
  /** The event is expected but has no effect (a stopped playback's end, a key while queued). */
  stale?: string;
}

export const initialState = (): MachineState => ({ phase: { name: 'idle' }, seq: 0 });

/** Mutable working copy for one step: handlers move the phase and collect effects. */
class Step {
  readonly effects: Effect[] = [];
  stale?: string;

  constructor(
    readonly flow: FlowGraph,
    readonly config: MachineConfig,
    public phase: Phase,
    public seq: number,
  ) {}

  node(id: NodeId): FlowNode {
    const node = this.flow.nodes.find((n) => n.id === id);
    // The flow was checked (checkFlow) before the call started, so this is a programming error.
    if (node === undefined) throw new Error(`flow node "${id}" does not exist`);
    return node;
  }

  play(prompts: string[]): string {
    this.seq += 1;
    const playbackId = `p${this.seq}`;
    this.effects.push({ kind: 'play', playbackId, prompts });
    return playbackId;
  }

  timer(ms: number): string {
    this.seq += 1;
    const timerId = `t${this.seq}`;
    this.effects.push({ kind: 'startTimer', timerId, ms });
    return timerId;
  }

  ignore(reason: string): void {
    this.stale = reason;
  }

  /** Enters a node; `digit` is a key that interrupted the previous prompt (typed ahead into a menu). */
  enter(id: NodeId, digit?: string): void {
    const node = this.node(id);
    switch (node.type) {
      case 'play':
        this.phase = { name: 'playing', node: id, playbackId: this.play([node.prompt]) };
        return;
      case 'menu':
        if (digit !== undefined) {
          this.choose(node, digit, 0);
          return;
        }
        this.phase = { name: 'menuPrompt', node: id, playbackId: this.play([node.prompt]), retries: 0 };
        return;
      case 'data':
        this.effects.push({ kind: 'fetchData', field: node.field });
        this.phase = { name: 'dataFetch', node: id };
        return;
      case 'queue':
        this.effects.push({ kind: 'requestAgent', queue: node.queue });
        this.phase = {
          name: 'queued',
          queue: node.queue,
          playbackId: this.play([this.config.queueMedia(node.queue)]),
          pending: null,
        };
        return;
      case 'hangup':
        if (node.prompt !== undefined) this.farewell([node.prompt]);
        else this.hangup();
        return;
      case 'voicemail':
        this.voicemail(node.prompt, node.queue);
        return;
      case 'callback':
        // Queued first: CTI books a callback only for a contact in a queue (it keeps its place there).
        this.effects.push({ kind: 'requestAgent', queue: node.queue, callback: true });
        this.effects.push({ kind: 'requestCallback', queue: node.queue });
        this.farewell([node.prompt ?? this.config.prompts.callbackConfirm]);
        return;
      case 'hours':
        this.effects.push({ kind: 'checkHours', schedule: node.schedule });
        this.phase = { name: 'hoursCheck', node: id };
        return;
    }
  }

  /** The greeting (if any), then the recording; the call is hung up when the recording ends. */
  voicemail(prompt: string | undefined, queue: string | undefined): void {
    if (prompt !== undefined) {
      const playbackId = this.play([prompt]);
      this.phase = { name: 'voicemailGreeting', playbackId, ...(queue !== undefined && { queue }) };
      return;
    }
    this.record(queue);
  }

  record(queue: string | undefined): void {
    this.effects.push({ kind: 'record', ...(queue !== undefined && { queue }) });
    this.phase = { name: 'recording' };
  }

  choose(menu: MenuNode, digit: string, retries: number): void {
    const choice = menu.choices.find((c) => c.key === digit);
    if (choice !== undefined) this.enter(choice.next);
    else this.retry(menu, retries, menu.invalidPrompt);
  }

  /** After an invalid key or no input: the retry prompt, then the menu again; past maxRetries the default. */
  retry(menu: MenuNode, retries: number, prompt: string | undefined): void {
    if (retries + 1 > menu.maxRetries) {
      this.enter(menu.default);
      return;
    }
    if (prompt !== undefined) {
      this.phase = {
        name: 'menuRetryPrompt',
        node: menu.id,
        playbackId: this.play([prompt]),
        retries: retries + 1,
      };
    } else {
      this.phase = {
        name: 'menuPrompt',
        node: menu.id,
        playbackId: this.play([menu.prompt]),
        retries: retries + 1,
      };
    }
  }

  menu(id: NodeId): MenuNode {
    const node = this.node(id);
    if (node.type !== 'menu') throw new Error(`flow node "${id}" is not a menu`);
    return node;
  }

  stop(playbackId: string): void {
    this.effects.push({ kind: 'stopPlayback', playbackId });
  }

  farewell(prompts: string[]): void {
    this.phase = { name: 'farewell', playbackId: this.play(prompts) };
  }

  hangup(): void {
    this.effects.push({ kind: 'hangup' });
    this.phase = { name: 'ended' };
  }
}

type PhaseOf<N extends PhaseName> = Extract<Phase, { name: N }>;
type EventOf<T extends IvrEvent['type']> = Extract<IvrEvent, { type: T }>;
type Handler<N extends PhaseName, T extends IvrEvent['type']> = (
  step: Step,
  phase: PhaseOf<N>,
  event: EventOf<T>,
) => void;
type Table = { [N in PhaseName]: { [T in IvrEvent['type']]?: Handler<N, T> } };

/** Guards a playback-finished event: only the playback the phase is waiting for moves the call on. */
function current<N extends PhaseName>(then: Handler<N, 'playbackFinished'>): Handler<N, 'playbackFinished'> {
  return (step, phase, event) => {
    if ('playbackId' in phase && phase.playbackId === event.playbackId) then(step, phase, event);
    else step.ignore(`playback ${event.playbackId} is not the current one`);
  };
}

const ignoreKey = (reason: string) => (step: Step, _p: unknown, event: { digit: string }) =>
  step.ignore(`key ${event.digit} ignored: ${reason}`);
const ignoreStatus = (reason: string) => (step: Step) => step.ignore(`queue status ignored: ${reason}`);
const ignoreClosed = (reason: string) => (step: Step) => step.ignore(`queue closed ignored: ${reason}`);

/**
 * The state table: for each phase, the events it accepts and what they do. An event missing from a
 * phase's row is rejected (reported to the caller of `step`, which logs it).
 */
export const TABLE: Table = {
  idle: {
    start: (step) => step.enter(step.flow.entry),
  },
  playing: {
    playbackFinished: current((step, phase) => {
      const node = step.node(phase.node);
      if (node.type === 'play') step.enter(node.next);
    }),
    // Barge-in: the key stops the prompt and, if a menu follows, is its choice.
    dtmf: (step, phase, event) => {
      const node = step.node(phase.node);
      step.stop(phase.playbackId);
      if (node.type === 'play') step.enter(node.next, event.digit);
    },
  },
  menuPrompt: {
    playbackFinished: current((step, phase) => {
      const menu = step.menu(phase.node);
      step.phase = {
        name: 'menuWait',
        node: phase.node,
        timerId: step.timer(menu.timeoutSec * 1000),
        retries: phase.retries,
      };
    }),
    dtmf: (step, phase, event) => {
      step.stop(phase.playbackId);
      step.choose(step.menu(phase.node), event.digit, phase.retries);
    },
  },
  menuRetryPrompt: {
    playbackFinished: current((step, phase) => {
      const menu = step.menu(phase.node);
      step.phase = {
        name: 'menuPrompt',
        node: phase.node,
        playbackId: step.play([menu.prompt]),
        retries: phase.retries,
      };
    }),
    dtmf: (step, phase, event) => {
      step.stop(phase.playbackId);
      step.choose(step.menu(phase.node), event.digit, phase.retries);
    },
  },
  menuWait: {
    timer: (step, phase, event) => {
      if (event.timerId !== phase.timerId) {
        step.ignore(`timer ${event.timerId} is not the current one`);
        return;
      }
      const menu = step.menu(phase.node);
      step.retry(menu, phase.retries, menu.noInputPrompt);
    },
    playbackFinished: (step) => step.ignore('no prompt is playing (a stopped one ended)'),
    dtmf: (step, phase, event) => {
      step.effects.push({ kind: 'cancelTimer', timerId: phase.timerId });
      step.choose(step.menu(phase.node), event.digit, phase.retries);
    },
  },
  dataFetch: {
    data: (step, phase, event) => {
      const node = step.node(phase.node);
      if (node.type !== 'data') return;
      if (event.speech === null) {
        step.enter(node.notFound);
        return;
      }
      const prompts = node.prompt === undefined ? [event.speech] : [node.prompt, event.speech];
      step.phase = { name: 'dataSpeak', node: phase.node, playbackId: step.play(prompts) };
    },
    dtmf: ignoreKey('the caller record is being fetched'),
    // The prompt a key interrupted to reach this step ends now.
    playbackFinished: (step) => step.ignore('no prompt is playing (a stopped one ended)'),
  },
  dataSpeak: {
    playbackFinished: current((step, phase) => {
      const node = step.node(phase.node);
      if (node.type === 'data') step.enter(node.next);
    }),
    dtmf: (step, phase, event) => {
      const node = step.node(phase.node);
      step.stop(phase.playbackId);
      if (node.type === 'data') step.enter(node.next, event.digit);
    },
  },
  queued: {
    // Between two loops of the queue media: the latest position and wait, if CTI sent any since.
    playbackFinished: current((step, phase) => {
      const notes = phase.pending === null ? [] : announcement(phase.pending);
      step.phase = {
        ...phase,
        playbackId: step.play([...notes, step.config.queueMedia(phase.queue)]),
        pending: null,
      };
    }),
    queueStatus: (step, phase, event) => {
      step.phase = {
        ...phase,
        pending: { position: event.position, expectedWaitSec: event.expectedWaitSec },
      };
    },
    queueTimeout: (step, phase, event) => {
      step.stop(phase.playbackId);
      step.phase = {
        name: 'timeoutNotice',
        queue: phase.queue,
        action: event.action,
        playbackId: step.play([step.config.prompts.timeout]),
      };
    },
    queueClosed: (step, phase, event) => {
      step.stop(phase.playbackId);
      if (event.action === 'prompt') step.farewell([event.prompt]);
      else step.voicemail(event.prompt ?? undefined, phase.queue);
    },
    dtmf: ignoreKey('keys do nothing in a queue'),
  },
  hoursCheck: {
    hours: (step, phase, event) => {
      const node = step.node(phase.node);
      if (node.type === 'hours') step.enter(event.open ? node.open : node.closed);
    },
    dtmf: ignoreKey('the business hours are being checked'),
    playbackFinished: (step) => step.ignore('no prompt is playing (a stopped one ended)'),
  },
  voicemailGreeting: {
    playbackFinished: current((step, phase) => step.record(phase.queue)),
    dtmf: ignoreKey('the voicemail greeting is playing'),
    queueStatus: ignoreStatus('the caller is leaving a message'),
  },
  timeoutNotice: {
    playbackFinished: current((step, phase) => {
      switch (phase.action) {
        case 'release':
          step.farewell([step.config.prompts.goodbye]);
          return;
        case 'voicemail':
          step.record(phase.queue);
          return;
        case 'callback':
          step.effects.push({ kind: 'requestCallback', queue: phase.queue });
          step.farewell([step.config.prompts.callbackConfirm]);
          return;
      }
    }),
    dtmf: ignoreKey('the queue timeout is being announced'),
    queueStatus: ignoreStatus('the queue timed out'),
  },
  farewell: {
    playbackFinished: current((step) => step.hangup()),
    dtmf: ignoreKey('the call is ending'),
    queueStatus: ignoreStatus('the call is ending'),
    // A callback node queued the caller: its queue may answer that it is closed.
    queueClosed: ignoreClosed('the call is ending'),
  },
  recording: {
    recordingFinished: (step) => step.hangup(),
    playbackFinished: (step) => step.ignore('no prompt is playing'),
    dtmf: ignoreKey('a message is being recorded'),
    queueStatus: ignoreStatus('a message is being recorded'),
    queueClosed: ignoreClosed('a message is being recorded'),
  },
  ended: {
    playbackFinished: (step) => step.ignore('the call has ended'),
    dtmf: ignoreKey('the call has ended'),
    timer: (step) => step.ignore('the call has ended'),
    queueStatus: ignoreStatus('the call has ended'),
    recordingFinished: (step) => step.ignore('the call has ended'),
    queueClosed: ignoreClosed('the call has ended'),
  },
};

function announcement(note: QueueStatusNote): string[] {
  return [
    ...(note.position === null ? [] : positionAnnouncement(note.position)),
    ...(note.expectedWaitSec === null ? [] : waitAnnouncement(note.expectedWaitSec)),
  ];
}

/** Applies one event; never throws for a disallowed event (it is returned as `rejected`). */
export function step(
  flow: FlowGraph,
  config: MachineConfig,
  state: MachineState,
  event: IvrEvent,
): StepResult {
  const row = TABLE[state.phase.name] as Partial<
    Record<IvrEvent['type'], Handler<PhaseName, IvrEvent['type']>>
  >;
  const handler = row[event.type];
  if (handler === undefined) {
    return { state, effects: [], rejected: `${event.type} is not allowed in phase ${state.phase.name}` };
  }
  const work = new Step(flow, config, state.phase, state.seq);
  handler(work, state.phase, event);
  const result: StepResult = { state: { phase: work.phase, seq: work.seq }, effects: work.effects };
  if (work.stale !== undefined) result.stale = work.stale;
  return result;
}
