import path from 'node:path';
import type { Bus } from '../../lib/bus/bus';
import { EXCHANGES, queues, routingKeys } from '../../lib/bus/topology';
import { defaults } from '../../lib/config';
import type { Logger } from '../../lib/log';
import { EndpointSync, fileEndpointPorts } from './endpoint-sync';

/**
 * SoftACD applies the AS's agent changes to its Asterisk's PJSIP endpoints (ConfigChanged of entity
 * `agent` carries the endpoint list). One durable queue, one message at a time: lists apply in the
 * order the AS published them, and a change made while SoftACD was down waits for it.
 * Off when the file's place is unknown (no IPCC_CHROOT nor AGENT_ENDPOINTS_FILE: Asterisk elsewhere).
 */
export async function consumeAgentChanges(bus: Bus, log: Logger): Promise<void> {
  const chroot = process.env.IPCC_CHROOT;
  const etcFile =
    process.env.AGENT_ENDPOINTS_FILE ??
    (chroot === undefined ? undefined : path.join(chroot, 'etc/ipcc/pjsip_agents.conf'));
  const secret = process.env.AGENT_SIP_SECRET;
  if (etcFile === undefined || secret === undefined) {
    log.warn(
      'agent endpoints not kept live: AGENT_ENDPOINTS_FILE (or IPCC_CHROOT) and AGENT_SIP_SECRET needed',
    );
    return;
  }
  const runDir = process.env.IPCC_RUN ?? path.resolve('.run');
  const sync = new EndpointSync(
    fileEndpointPorts({
      etcFile,
      runFile: path.join(runDir, 'pjsip_agents.conf'),
      ari: { url: defaults.ariUrl(), user: defaults.ariUser(), password: defaults.ariPassword() },
      secret,
      log,
    }),
  );
  await bus.consume({
    queue: queues.provisioning,
    bindings: [{ exchange: EXCHANGES.events, pattern: routingKeys.config('agent') }],
    prefetch: 1,
    handle: async (message) => {
      if (message.type !== 'ConfigChanged' || message.endpoints === undefined) return;
      await sync.apply(message.endpoints);
    },
  });
}
