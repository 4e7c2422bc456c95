import { randomUUID } from 'node:crypto';
import { Logger, contactLogger } from '../../lib/log';
import { Draft, MessageType, media as mediaSchema } from '../../lib/messages';
import type { ChannelControl } from '../ari/channels';
import { IvrSessions } from './sessions';

export interface IvrPorts {
  channels: ChannelControl;
  play: (channelId: string, playbackId: string, media: string) => Promise<boolean>;
  emit: <T extends MessageType>(draft: Draft<T>) => Promise<void>;
  log: Logger;
  instanceId: string;
  welcomeMedia: string;
}

/**
 * IP-IVR/MS (S206-S218): takes a call moved here by SoftACD, answers it (the IVR's 200 OK of S211),
 * tells CTI it has it, and plays the welcome prompt (voice and, where the file exists, video).
 */
export class IvrService {
  readonly sessions = new IvrSessions();

  constructor(private readonly ports: IvrPorts) {}

  async callEntered(channelId: string, args: string[]): Promise<void> {
    const [contactId, calledNumber, rawMedia] = args;
    if (contactId === undefined || calledNumber === undefined) {
      this.ports.log.warn('IVR call without a contact id; hanging up', { channelId, args });
      await this.ports.channels.hangup(channelId);
      return;
    }
    const media = mediaSchema.safeParse(rawMedia).data ?? 'audio';
    const log = contactLogger(this.ports.log, contactId);
    this.sessions.add({ contactId, channelId, calledNumber, media, startedAt: Date.now() });
    if (!(await this.ports.channels.answer(channelId))) {
      log.info('caller left before the IVR answered');
      return;
    }
    await this.ports.emit<'CallDelivered'>({
      type: 'CallDelivered',
      contactId,
      callingNumber: '',
      callingName: '',
      calledNumber,
      media,
      channelId,
      deliveredTo: { kind: 'ivr', instance: this.ports.instanceId },
    });
    await this.playPrompt(channelId, this.ports.welcomeMedia, log);
  }

  private async playPrompt(channelId: string, media: string, log: Logger): Promise<void> {
    const session = this.sessions.get(channelId);
    if (session === undefined) return;
    const playbackId = randomUUID();
    session.playbackId = playbackId;
    const started = await this.ports.play(channelId, playbackId, media);
    log.info(started ? 'prompt playing' : 'caller left before the prompt', { media, playbackId });
  }

  forgetMissing(live: Set<string>): void {
    for (const channelId of this.sessions.channelIds()) if (!live.has(channelId)) this.callLeft(channelId);
  }

  callLeft(channelId: string): void {
    const session = this.sessions.remove(channelId);
    if (session !== undefined) contactLogger(this.ports.log, session.contactId).info('left the IVR');
  }
}
