/**
 * Transport-wide congestion control, taken out of the SDP that Asterisk sends (its offer to the agent's
 * softphone, its answer to the customer's page) before the browser applies it.
 *
 * Asterisk offers `a=rtcp-fb:* transport-cc` and the transport-wide sequence extension to WebRTC
 * endpoints, and Chromium then estimates its sending rate from transport-cc feedback alone. In a call
 * through Asterisk's bridge that feedback did not keep up: the sender's target fell to Chromium's
 * floor (30 kbit/s), its pacer held each video packet for seconds (summed send delay 177-349 s over
 * 250-330 packets), and the other page decoded fewer frames than were sent, stalling in 2 of 4 CI runs.
 * Without it Chromium falls back to receiver reports and REMB (which Asterisk relays across the
 * bridge): 130-200 kbit/s, packets leave at once, every frame sent is decoded. The browser's own
 * offer keeps the lines; a subset in the answer is what the browser then uses.
 */
const TRANSPORT_CC_LINES = [
  /^a=rtcp-fb:\S+ transport-cc$/,
  /^a=extmap:\d+(\/\w+)? http:\/\/www\.ietf\.org\/id\/draft-holmer-rmcat-transport-wide-cc-extensions-01$/,
];

export function withoutTransportCc(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(eol)
    .filter((line) => !TRANSPORT_CC_LINES.some((re) => re.test(line.trim())))
    .join(eol);
}
