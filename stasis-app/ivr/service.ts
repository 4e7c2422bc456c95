import { codecOf, isSpeechPrompt, promptUri } from '../media';
import type { FlowGraph } from '../../lib/flow/flow';
import { KeyedSerial } from '../../lib/keyed-serial';
import { Logger, contactLogger, errorText } from '../../lib/log';
import { Draft, MessageType, media as mediaSchema } from '../../lib/messages';
import { type IvrMedia, ariPlaybackId, voicemailName } from './ari-media';
import { decodeIvrTag, encodeIvrTag } from './call-tag';
import { defaultFlow, queueFlow } from './fallback-flows';
import { type Effect, type IvrEvent, type MachineConfig, step } from './flow-machine';
import type { LoadedFlow } from './flow-source';
import { type IvrSession, IvrSessions } from './sessions';
import { VoicemailBook } from './voicemail';
import { closedFlow } from './closed-number';
import type { ClosedAction } from '../../lib/hours/closed-route';

export interface IvrPorts {
  media: IvrMedia;
  emit: <T extends MessageType>(draft: Draft<T>) => Promise<void>;
  log: Logger;
  instanceId: string;
  flows: {
    load(key: string): Promise<LoadedFlow | null>;
    /** A flow editor's test call: the draft the AS stored under the id; null once expired. */
    loadTestCall(testCallId: string): Promise<LoadedFlow | null>;
  };
  /** The data step: the speech prompt for a caller's field, null when unknown. */
  callerData: (callingNumber: string, field: string) => Promise<string | null>;
  /** The business-hours branch: whether the named schedule is open now. */
  hoursOpen: (schedule: string) => Promise<boolean>;
  /** A called number's schedule: its closed action while it is closed now, else null. */
  numberClosed: (calledNumber: string) => Promise<ClosedAction | null>;
  machine: MachineConfig;
  fallback: { prompt: string; queue: string | undefined };
  voicemailMaxSec: number;
}

export interface Caller {
  number: string;
  name: string;
}

/**
 * IP-IVR/MS (S206-S223): takes a call moved here by SoftACD, answers it, tells CTI it has it, loads the
 * flow for the called number and runs it: every ARI event, timer and CTI command becomes an event for
 * the flow machine, and the machine's effects are executed here in order, one call at a time.
 */
export class IvrService {
  readonly sessions = new IvrSessions();
  readonly voicemails = new VoicemailBook();
  private readonly serial = new KeyedSerial();

  constructor(private readonly ports: IvrPorts) {}

  async callEntered(channelId: string, args: string[], caller: Caller): Promise<void> {
    const [contactId, calledNumber, rawMedia, ...extra] = args;
    if (contactId === undefined || calledNumber === undefined) {
      this.ports.log.warn('IVR call without a contact id; hanging up', { channelId, args });
      await this.ports.media.hangup(channelId);
      return;
    }
    const media = mediaSchema.safeParse(rawMedia).data ?? 'audio';
    const log = contactLogger(this.ports.log, contactId);
    const session = this.sessions.add({
      contactId,
      channelId,
      calledNumber,
      callingNumber: caller.number,
      media,
      startedAt: Date.now(),
    });
    const [answered, videoFormat] = await Promise.all([
      this.ports.media.answer(channelId),
      media === 'audio+video' ? this.ports.media.videoFormat(channelId) : Promise.resolve(undefined),
    ]);
    if (!answered) {
      log.info('caller left before the IVR answered');
      return;
    }
    const codec = videoFormat === undefined ? undefined : codecOf(videoFormat);
    if (codec !== undefined) session.videoCodec = codec;
    session.tag = { contactId, calledNumber, media, extra };
    await this.ports.media.setTag(channelId, encodeIvrTag(session.tag));
    // CTI addresses QueueStatus/QueueTimeout to the instance named here.
    await this.ports.emit<'CallDelivered'>({
      type: 'CallDelivered',
      contactId,
      callingNumber: caller.number,
      callingName: caller.name,
      calledNumber,
      media,
      channelId,
      deliveredTo: { kind: 'ivr', instance: this.ports.instanceId },
    });
    const flow = await this.chooseFlow(calledNumber, extra, log);
    if (this.sessions.get(channelId) !== session) return;
    session.flow = flow;
    await this.feed(channelId, { type: 'start' });
  }

  /**
   * `queue,<id>` = straight to a queue; `flow,<key>` = the flow stored under that key; `draft,<id>` = a
   * flow editor's test call (only SoftACD writes these arguments); else by called number.
   */
  private async chooseFlow(calledNumber: string, extra: string[], log: Logger): Promise<FlowGraph> {
    const [kind, value] = extra;
    if (kind === 'queue' && value !== undefined && value !== '') return queueFlow(value);
    if (kind === 'draft' && value !== undefined && value !== '') return this.testCallFlow(value, log);
    const byNumber = !(kind === 'flow' && value !== undefined && value !== '');
    const key = byNumber ? calledNumber : value;
    if (byNumber) {
      const closed = await this.closedNumber(calledNumber, log);
      if (closed !== null) return closed;
    }
    const fallback = () =>
      defaultFlow(this.ports.fallback.prompt, this.ports.fallback.queue, this.ports.machine.prompts.goodbye);
    try {
      const loaded = await this.ports.flows.load(key);
      if (loaded === null) {
        log.warn('no IVR flow for the called number; playing the default', {
          flowKey: key,
          defaultPrompt: this.ports.fallback.prompt,
          defaultQueue: this.ports.fallback.queue ?? null,
        });
        return fallback();
      }
      log.info('IVR flow loaded', { flowKey: key, flow: loaded.name, flowId: loaded.id });
      return loaded.graph;
    } catch (err) {
      log.error('IVR flow unusable; playing the default', { flowKey: key, error: errorText(err) });
      return fallback();
    }
  }

  /**
   * The draft a test call runs, whatever the number's business hours say (the administrator tests the
   * flow). Expired or unreadable: the default flow, as for a number without a flow.
   */
  private async testCallFlow(testCallId: string, log: Logger): Promise<FlowGraph> {
    const fallback = () =>
      defaultFlow(this.ports.fallback.prompt, this.ports.fallback.queue, this.ports.machine.prompts.goodbye);
    try {
      const loaded = await this.ports.flows.loadTestCall(testCallId);
      if (loaded === null) {
        log.warn('test call draft gone (expired); playing the default', { testCallId });
        return fallback();
      }
      log.info('IVR flow loaded', {
        flowKey: `draft:${testCallId}`,
        flow: loaded.name,
        flowId: loaded.id,
        draft: true,
      });
      return loaded.graph;
    } catch (err) {
      log.error('test call draft unusable; playing the default', { testCallId, error: errorText(err) });
      return fallback();
    }
  }

  /** The number's closed-hours flow while its schedule is closed; an unreadable schedule counts as open. */
  private async closedNumber(calledNumber: string, log: Logger): Promise<FlowGraph | null> {
    try {
      const action = await this.ports.numberClosed(calledNumber);
      if (action === null) return null;
      log.info('called number closed by its business hours', { calledNumber, action: action.kind });
      return closedFlow(action);
    } catch (err) {
      log.error('business hours of the number unknown; running its flow', { error: errorText(err) });
      return null;
    }
  }

  /** One event for one call, applied after the previous one's effects (serialised per channel). */
  feed(channelId: string, event: IvrEvent): Promise<void> {
    return this.serial.run(channelId, async () => {
      const session = this.sessions.get(channelId);
      if (session?.flow === undefined) return;
      const log = contactLogger(this.ports.log, session.contactId);
      const result = step(session.flow, this.ports.machine, session.state, event);
      if (result.rejected !== undefined) log.warn('IVR event rejected', { reason: result.rejected, event });
      if (result.stale !== undefined) log.debug('IVR event without effect', { reason: result.stale });
      session.state = result.state;
      for (const effect of result.effects) {
        // The caller may have left during the previous effect: nothing more is sent to Asterisk.
        if (this.sessions.get(channelId) !== session) return;
        await this.execute(session, effect, log);
      }
    });
  }

  /** A CTI command for a contact; a contact no longer here (it hung up, an agent took it) is normal. */
  async command(contactId: string, event: IvrEvent): Promise<void> {
    const session = this.sessions.forContact(contactId);
    if (session === undefined) {
      contactLogger(this.ports.log, contactId).info('command for a call no longer in the IVR', {
        event: event.type,
      });
      return;
    }
    await this.feed(session.channelId, event);
  }

  private async execute(session: IvrSession, effect: Effect, log: Logger): Promise<void> {
    const { channelId, contactId } = session;
    switch (effect.kind) {
      case 'play': {
        const media = effect.prompts.map((p) => promptUri(p, session.videoCodec, !isSpeechPrompt(p)));
        session.lastPlaybackId = ariPlaybackId(channelId, effect.playbackId);
        const started = await this.ports.media.play(channelId, session.lastPlaybackId, media);
        log.info(started ? 'prompt playing' : 'caller left before the prompt', {
          media,
          phase: session.state.phase.name,
        });
        return;
      }
      case 'stopPlayback':
        await this.ports.media.stopPlayback(ariPlaybackId(channelId, effect.playbackId));
        return;
      case 'startTimer': {
        const timer = setTimeout(() => {
          session.timers.delete(effect.timerId);
          this.feed(channelId, { type: 'timer', timerId: effect.timerId }).catch((err: unknown) =>
            log.error('IVR timer failed', { error: errorText(err) }),
          );
        }, effect.ms);
        session.timers.set(effect.timerId, timer);
        return;
      }
      case 'cancelTimer':
        clearTimeout(session.timers.get(effect.timerId));
        session.timers.delete(effect.timerId);
        return;
      case 'fetchData':
        // Not awaited: keys and hang-ups keep flowing while the AS answers and the speech renders.
        this.fetchData(session, effect.field, log);
        return;
      case 'checkHours':
        this.checkHours(session, effect.schedule, log);
        return;
      case 'requestAgent':
        if (session.tag?.queue === effect.queue) {
          // A caller taken back after a restart: CTI still holds its place in this queue.
          log.info('already queued; agent not requested again', { queueId: effect.queue });
          return;
        }
        log.info('agent requested', { queueId: effect.queue });
        if (session.tag !== undefined) {
          session.tag = { ...session.tag, queue: effect.queue };
          await this.ports.media.setTag(channelId, encodeIvrTag(session.tag));
        }
        await this.ports.emit<'AgentRequest'>({
          type: 'AgentRequest',
          contactId,
          queueId: effect.queue,
          ...(effect.callback && { callback: true }),
        });
        return;
      case 'requestCallback':
        log.info('callback requested', { queueId: effect.queue, number: session.callingNumber });
        await this.ports.emit<'CallbackRequested'>({
          type: 'CallbackRequested',
          contactId,
          queueId: effect.queue,
          number: session.callingNumber,
        });
        return;
      case 'record': {
        const name = voicemailName(contactId);
        this.voicemails.started(name, contactId, effect.queue);
        try {
          const started = await this.ports.media.record(channelId, name, this.ports.voicemailMaxSec);
          log.info(started ? 'voicemail recording' : 'caller left before the recording', { recording: name });
        } catch (err) {
          // No RecordingFinished will come: the caller must not be left in silence.
          log.error('voicemail recording refused; hanging up', { recording: name, error: errorText(err) });
          await this.ports.media.hangup(channelId);
        }
        return;
      }
      case 'hangup':
        log.info('IVR hangs up the call');
        await this.ports.media.hangup(channelId);
        return;
    }
  }

  private fetchData(session: IvrSession, field: string, log: Logger): void {
    this.ports
      .callerData(session.callingNumber, field)
      .catch((err: unknown) => {
        log.error('data step failed; treated as not found', { field, error: errorText(err) });
        return null;
      })
      .then((speech) => this.feed(session.channelId, { type: 'data', speech }))
      .catch((err: unknown) => log.error('data step event failed', { error: errorText(err) }));
  }

  /** An unknown schedule (AS down with nothing cached) takes the open branch: callers reach the queue. */
  private checkHours(session: IvrSession, schedule: string, log: Logger): void {
    this.ports
      .hoursOpen(schedule)
      .catch((err: unknown) => {
        log.error('business hours unknown; taking the open branch', { schedule, error: errorText(err) });
        return true;
      })
      .then((open) => {
        log.info('business hours checked', { schedule, open });
        return this.feed(session.channelId, { type: 'hours', open });
      })
      .catch((err: unknown) => log.error('business hours event failed', { error: errorText(err) }));
  }

  /**
   * S226-S227: SoftACD takes the caller for an agent who answered. The call is forgotten first (so no
   * effect starts another prompt), its prompt stopped (a playing prompt holds the channel's command
   * queue in Asterisk, so a move would wait for its end), then the channel moved to SoftACD's app.
   * Every IVR instance hears the request; only the one holding the channel acts.
   */
  handOver(channelId: string, app: string, appArgs: string[]): Promise<void> {
    return this.serial.run(channelId, async () => {
      const session = this.sessions.remove(channelId);
      if (session === undefined) return;
      const log = contactLogger(this.ports.log, session.contactId);
      if (session.lastPlaybackId !== undefined) await this.ports.media.stopPlayback(session.lastPlaybackId);
      const moved = await this.ports.media.move(channelId, app, appArgs);
      log.info(moved ? 'handed over to SoftACD' : 'caller left before the hand-over', { app });
      // After the move, not before it: the agent is waiting. The tag is only read for channels still in
      // the IVR's app, so a restart in between cannot take this caller back.
      if (moved) await this.ports.media.setTag(channelId, '');
    });
  }

  /**
   * A caller Asterisk still holds in the IVR's app that this process does not know (the IVR was
   * restarted, or its WebSocket cut): taken back from the channel's tag. A queued caller hears its
   * queue media again (CTI still holds its place, so no second AgentRequest); any other caller starts
   * its flow over from the entry, hearing the IVR again rather than silence. False when the channel has
   * no usable tag or is already known.
   */
  async adopt(channelId: string, caller: Caller): Promise<boolean> {
    if (this.sessions.get(channelId) !== undefined) return false;
    const tag = decodeIvrTag(await this.ports.media.readTag(channelId));
    if (tag === undefined || this.sessions.get(channelId) !== undefined) return false;
    const log = contactLogger(this.ports.log, tag.contactId);
    const session = this.sessions.add({
      contactId: tag.contactId,
      channelId,
      calledNumber: tag.calledNumber,
      callingNumber: caller.number,
      media: tag.media,
      startedAt: Date.now(),
    });
    session.tag = tag;
    // Playback ids start above the dead process's: its last prompt may still be playing.
    session.state = { ...session.state, seq: Date.now() };
    if (tag.media === 'audio+video') {
      const format = await this.ports.media.videoFormat(channelId);
      const codec = format === undefined ? undefined : codecOf(format);
      if (codec !== undefined) session.videoCodec = codec;
    }
    const flow =
      tag.queue !== undefined
        ? queueFlow(tag.queue)
        : await this.chooseFlow(tag.calledNumber, tag.extra, log);
    if (this.sessions.get(channelId) !== session) return false;
    session.flow = flow;
    log.info('caller taken back by a restarted IVR', { channelId, queue: tag.queue ?? null });
    await this.feed(channelId, { type: 'start' });
    return true;
  }

  /**
   * ARI ended a recording: a voicemail becomes a RecordingStored for the contact's history (also when
   * the caller hung up first), and a call still here moves on (its machine hangs up).
   */
  async recordingEnded(
    name: string,
    channelId: string | undefined,
    durationSec: number | undefined,
    failed: boolean,
  ): Promise<void> {
    const stored = this.voicemails.ended(name, durationSec, failed);
    if (stored !== undefined) {
      contactLogger(this.ports.log, stored.contactId).info('voicemail stored', {
        recording: name,
        durationSec: stored.durationSec,
        queueId: stored.queueId ?? null,
      });
      await this.ports.emit<'RecordingStored'>(stored);
    }
    if (channelId !== undefined) await this.feed(channelId, { type: 'recordingFinished' });
  }

  forgetMissing(live: Set<string>): void {
    for (const channelId of this.sessions.channelIds()) if (!live.has(channelId)) this.callLeft(channelId);
  }

  /** StasisEnd (hang-up, or SoftACD took the caller to an agent): forget the call, its timers included. */
  callLeft(channelId: string): void {
    const session = this.sessions.remove(channelId);
    if (session !== undefined) {
      contactLogger(this.ports.log, session.contactId).info('left the IVR', {
        phase: session.state.phase.name,
        sessions: this.sessions.size,
      });
    }
  }
}
