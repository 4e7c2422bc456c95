import { contactLogger, errorText, type Logger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { endpointOfChannel, featurePrompt, parseFeatureCode, type FeatureRequest } from './feature-codes';
import type { Outbound } from './outbound';
import type { SoftAcdPorts } from './call-context';

export type FeaturePorts = Pick<SoftAcdPorts, 'channels' | 'emit' | 'log' | 'callMedia'> & {
  /** How long CTI may take to answer AgentFeature before the phone hears "refused". */
  resultTimeoutMs?: number;
  /** A prompt longer than this is cut: the phone is hung up anyway (a lost PlaybackFinished). */
  promptTimeoutMs?: number;
};

type Result = MessageOf<'AgentFeatureResult'>;

/**
 * Desk-phone feature codes (`[from-agents]` → Stasis(softacd,feature,<exten>)): the phone is answered,
 * CTI is asked (AgentFeature, contactId = the phone's channel id) and its answer spoken, then the phone
 * is hung up; a granted dial-out goes on as an outbound call (outbound.ts). Both waits (CTI's answer,
 * the end of the prompt) are bounded and their entries removed when they end.
 */
export class DeskFeatures {
  private readonly results = new Map<string, (result: Result | undefined) => void>();
  private readonly playbacks = new Map<string, () => void>();

  constructor(
    private readonly ports: FeaturePorts,
    private readonly outbound: Outbound,
  ) {}

  /** A phone dialled a feature code; resolves when the feature is done (the phone hung up or bridged). */
  async arrived(channelId: string, exten: string, channelName: string): Promise<void> {
    const log = contactLogger(this.ports.log, channelId);
    const request = parseFeatureCode(exten);
    const endpoint = endpointOfChannel(channelName);
    if (!(await this.ports.channels.answer(channelId))) return; // the phone hung up already
    if (request === undefined || endpoint === undefined) {
      log.warn('feature code refused: not a feature', { exten, channel: channelName });
      await this.speakThenHangUp(channelId, 'feature-refused');
      return;
    }
    const result = await this.ask(channelId, endpoint, request);
    if (result === undefined) log.warn('feature: CTI did not answer in time', { endpoint, ...request });
    else log.info('feature answered', { endpoint, ...request, ok: result.ok, error: result.error });
    if (request.feature === 'dial' && result?.ok === true) {
      if (await this.outbound.dial(channelId, result)) return;
      log.warn('feature: dial granted without an agent or a number to call', { endpoint });
      await this.speakThenHangUp(channelId, 'feature-refused');
      return;
    }
    await this.speakThenHangUp(channelId, featurePrompt(request, result));
  }

  /** CTI's answer, on this SoftACD's command queue. */
  result(message: Result): void {
    const waiter = this.results.get(message.contactId);
    if (waiter === undefined) {
      contactLogger(this.ports.log, message.contactId).info('feature result after the wait: ignored', {
        feature: message.feature,
        ok: message.ok,
      });
      return;
    }
    waiter(message);
  }

  /** ARI PlaybackFinished, for the prompts this module started. */
  playbackFinished(playbackId: string): void {
    this.playbacks.get(playbackId)?.();
  }

  get size(): number {
    return this.results.size + this.playbacks.size;
  }

  private ask(channelId: string, endpoint: string, request: FeatureRequest): Promise<Result | undefined> {
    return new Promise<Result | undefined>((resolve) => {
      const done = (result: Result | undefined) => {
        clearTimeout(timer);
        this.results.delete(channelId);
        resolve(result);
      };
      const timer = setTimeout(() => done(undefined), this.ports.resultTimeoutMs ?? 5000);
      timer.unref();
      // Waiting before publishing: CTI can answer before the broker's confirm arrives.
      this.results.set(channelId, done);
      this.ports
        .emit<'AgentFeature'>({
          type: 'AgentFeature',
          contactId: channelId,
          endpoint,
          feature: request.feature,
          ...(request.feature === 'not-ready' ? { reasonDigit: request.reasonDigit } : {}),
          ...(request.feature === 'dial' ? { number: request.number } : {}),
        })
        .catch((err: unknown) => {
          // Not published: spoken as a refusal at once rather than after the whole wait.
          contactLogger(this.ports.log, channelId).error('feature not published', { error: errorText(err) });
          done(undefined);
        });
    });
  }

  /** Plays `sound:ipcc/<prompt>` to the phone, waits for its end, then hangs the phone up. */
  async speakThenHangUp(channelId: string, prompt: string, log?: Logger): Promise<void> {
    const playbackId = `${channelId}-feature`;
    const finished = new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.playbacks.delete(playbackId);
        resolve();
      };
      const timer = setTimeout(done, this.ports.promptTimeoutMs ?? 15_000);
      timer.unref();
      this.playbacks.set(playbackId, done);
    });
    try {
      const playing = await this.ports.callMedia.play(channelId, playbackId, [`sound:ipcc/${prompt}`]);
      if (playing) await finished;
    } catch (err) {
      (log ?? contactLogger(this.ports.log, channelId)).warn('feature prompt failed', {
        prompt,
        error: errorText(err),
      });
    } finally {
      this.playbacks.get(playbackId)?.();
    }
    await this.ports.channels.hangup(channelId);
  }
}
