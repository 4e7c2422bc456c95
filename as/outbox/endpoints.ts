import { Agent } from '../models';

export interface EndpointListing {
  login: string;
  sip?: string;
  webrtc?: string;
}

/**
 * Every active person's phone endpoints, read when an agent change is published: SoftACD writes
 * Asterisk's PJSIP endpoints from this list (stasis-app/provisioning/endpoint-sync.ts). Read at publish
 * time, after the change is stored, so the list is never older than the change it goes out with.
 */
export async function listEndpoints(): Promise<EndpointListing[]> {
  const agents = await Agent.find({ active: { $ne: false } })
    .select('login endpoints')
    .sort({ login: 1 })
    .lean();
  return agents.map((a) => ({
    login: a.login,
    ...(a.endpoints?.sip == null ? {} : { sip: a.endpoints.sip }),
    ...(a.endpoints?.webrtc == null ? {} : { webrtc: a.endpoints.webrtc }),
  }));
}
