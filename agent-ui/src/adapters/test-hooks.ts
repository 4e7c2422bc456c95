import type { Softphone } from './softphone';

/**
 * `window.__ipcc`: what the end-to-end tests read from the page (documented in agent-ui/README.md).
 * `getStats()` gives the video frames decoded and sent in the softphone's current call.
 */
export interface TestHooks {
  getStats: () => Promise<{ framesDecoded: number; framesSent: number }>;
  videoStats: () => Promise<Record<string, unknown>[]>;
  state?: () => unknown;
  phone: () => unknown;
}

export function exposeTestHooks(phone: Softphone, state?: () => unknown): void {
  const hooks: TestHooks = {
    getStats: () => phone.getStats(),
    videoStats: () => phone.videoStats(),
    phone: () => {
      const { localStream: _l, remoteStream: _r, ...rest } = phone.state;
      return rest;
    },
    ...(state === undefined ? {} : { state }),
  };
  (window as unknown as { __ipcc: TestHooks }).__ipcc = hooks;
}
