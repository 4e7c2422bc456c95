/** One RTP payload as Asterisk's video file formats store it: the payload and the RTP marker bit. */
export interface RtpPayload {
  payload: Buffer;
  /** Set on the last packet of a video frame (RFC 6184 5.1, RFC 7741 4.1). */
  marker: boolean;
}

/** Largest payload Asterisk's format_h264/format_vp8 read from a file (BUF_SIZE). */
export const ASTERISK_MAX_PAYLOAD = 4096;

/**
 * Default payload limit: leaves room for IP, UDP, RTP, SRTP and header extensions inside a 1,500-byte
 * Ethernet MTU, so a browser over DTLS-SRTP gets unfragmented packets.
 */
export const DEFAULT_MAX_PAYLOAD = 1200;

export function checkMaxPayload(maxPayload: number, minimum: number): void {
  if (!Number.isInteger(maxPayload) || maxPayload < minimum || maxPayload > ASTERISK_MAX_PAYLOAD) {
    throw new RangeError(
      `maxPayload must be an integer from ${minimum} to ${ASTERISK_MAX_PAYLOAD}, got ${maxPayload}`,
    );
  }
}
