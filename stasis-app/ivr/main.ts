import type { Channel, StasisEnd, StasisStart } from 'ari-client';
import { Bus } from '../../lib/bus/bus';
import { defaults, env } from '../../lib/config';
import { createLogger, errorText } from '../../lib/log';
import { ariChannels } from '../ari/channels';
import { connectAri, startApp } from '../ari/connection';
import { stasisArgs } from '../ari/events';
import { done } from '../ari/gone';
import { eventEmitter } from '../bus-publisher';
import { IvrService } from './service';

const instanceId = env('IVR_ID', 'ivr-1');
const app = env('IVR_APP', 'ivr');
const log = createLogger('ivr', instanceId);

async function main(): Promise<void> {
  const bus = new Bus(defaults.amqpUrl(), log);
  await bus.waitForConnect();
  const client = await connectAri(
    { url: defaults.ariUrl(), user: defaults.ariUser(), password: defaults.ariPassword() },
    log,
  );
  const svc = new IvrService({
    channels: ariChannels(client),
    play: (channelId, playbackId, media) => done(client.channels.play({ channelId, playbackId, media })),
    emit: eventEmitter(bus, { service: 'ivr', instance: instanceId }),
    log,
    instanceId,
    welcomeMedia: env('IVR_WELCOME_MEDIA', 'sound:hello-world'),
  });

  client.on('StasisStart', (event: StasisStart, channel: Channel) => {
    svc
      .callEntered(channel.id, stasisArgs(event))
      .catch((err: unknown) =>
        log.error('IVR call failed', { channelId: channel.id, error: errorText(err) }),
      );
  });
  client.on('StasisEnd', (_event: StasisEnd, channel: Channel) => svc.callLeft(channel.id));

  // The IVR keeps no state that outlives a channel; after a reconnect it forgets the channels that left.
  await startApp(client, app, log, async () => {
    const live = new Set((await client.channels.list()).map((ch) => ch.id));
    svc.forgetMissing(live);
  });

  const sweep = setInterval(() => {
    for (const s of svc.sessions.sweep(Date.now(), 12 * 3600_000))
      log.warn('stale IVR session swept', { contactId: s.contactId });
  }, 60_000);
  sweep.unref();

  const stop = () => {
    clearInterval(sweep);
    client.stop();
    bus.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info('IVR ready', { app });
}

process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: errorText(err) }));
main().catch((err: unknown) => {
  log.error('IVR failed to start', { error: errorText(err) });
  process.exit(1);
});
