// @types/ari-client predates ARI's channel move (Asterisk 16.1+), which ari-client exposes at run time
// because it builds its operations from Asterisk's own API description.
import 'ari-client';

declare module 'ari-client' {
  interface Channels {
    move(params: { channelId: string; app: string; appArgs?: string }): Promise<void>;
  }
}
