import { UA, WebSocketInterface } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { IncomingRTCSessionEvent, OutgoingRTCSessionEvent } from 'jssip/lib/UA';
import { withoutTransportCc } from '../domain/sdp';

/**
 * The browser's SIP phone (JsSIP over Asterisk's /ws, DTLS-SRTP): the agent's softphone (registered)
 * and the customer's guest call (no registration). JsSIP reconnects its WebSocket by itself and
 * registers again on every reconnect (`register: true`), so the registration outlives network drops.
 */
export type Registration = 'off' | 'connecting' | 'registered' | 'unregistered' | 'failed';
export type CallStatus = 'ringing' | 'calling' | 'active' | 'ended';

export interface SoftphoneState {
  registration: Registration;
  registrationError?: string;
  call?: { direction: 'incoming' | 'outgoing'; status: CallStatus; remote: string; endCause?: string };
  localStream?: MediaStream;
  remoteStream?: MediaStream;
  muted: boolean;
  cameraOff: boolean;
  autoAnswer: boolean;
}

export interface SoftphoneAccount {
  wsUrl: string;
  uri: string;
  password?: string;
  username?: string;
  displayName?: string;
  register: boolean;
}

export interface MediaChoice {
  audioInput?: string;
  videoInput?: string;
}

/** No STUN on the system's own network: ICE gathering ends at once instead of waiting for servers. */
const PC_CONFIG: RTCConfiguration = { iceServers: [] };

export class Softphone {
  private ua: UA | undefined;
  private session: RTCSession | undefined;
  private acceptPending = false;
  private autoAnswerOnce = false;
  private stopAfterCall = false;
  private choice: MediaChoice = {};
  private listeners = new Set<(s: SoftphoneState) => void>();
  state: SoftphoneState = { registration: 'off', muted: false, cameraOff: false, autoAnswer: false };

  constructor(private readonly log: (message: string, data?: unknown) => void = () => undefined) {}

  subscribe(fn: (s: SoftphoneState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<SoftphoneState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }

  start(account: SoftphoneAccount): void {
    this.stop();
    const socket = new WebSocketInterface(account.wsUrl);
    const ua = new UA({
      sockets: [socket],
      uri: account.uri,
      register: account.register,
      register_expires: 120,
      session_timers: false,
      connection_recovery_min_interval: 1,
      connection_recovery_max_interval: 15,
      user_agent: 'ipcc-agent-ui',
      ...(account.password === undefined ? {} : { password: account.password }),
      ...(account.username === undefined ? {} : { authorization_user: account.username }),
      ...(account.displayName === undefined ? {} : { display_name: account.displayName }),
    });
    this.ua = ua;
    ua.on('connecting', () => this.set({ registration: 'connecting' }));
    ua.on('disconnected', () => this.set({ registration: account.register ? 'connecting' : 'off' }));
    ua.on('connected', () => {
      if (!account.register) this.set({ registration: 'off' });
    });
    ua.on('registered', () => this.set({ registration: 'registered', registrationError: undefined }));
    ua.on('unregistered', () => this.set({ registration: 'unregistered' }));
    ua.on('registrationFailed', (e: { cause?: string }) =>
      this.set({ registration: 'failed', registrationError: e.cause ?? 'failed' }),
    );
    ua.on('newRTCSession', (e: IncomingRTCSessionEvent | OutgoingRTCSessionEvent) => {
      if ((e.originator as string) === 'remote')
        this.incoming(e.session, e.request.getHeader('Call-Info') ?? '');
    });
    ua.start();
  }

  /** Resolves once the SIP WebSocket is up (a guest call needs it before its INVITE). */
  waitConnected(timeoutMs = 10_000): Promise<void> {
    const ua = this.ua;
    if (ua === undefined) return Promise.reject(new Error('not started'));
    if (ua.isConnected()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('SIP connection timed out')), timeoutMs);
      ua.on('connected', () => {
        clearTimeout(timer);
        resolve(); // a later reconnect resolves nothing: a promise settles once
      });
    });
  }

  /** Stops now, or once the current call has ended. */
  stopWhenIdle(): void {
    if (this.session === undefined) this.stop();
    else this.stopAfterCall = true;
  }

  stop(): void {
    this.stopAfterCall = false;
    if (this.session?.isEnded() === false) this.session.terminate();
    this.session = undefined;
    this.ua?.stop();
    this.ua = undefined;
    this.stopLocal();
    this.set({ registration: 'off', call: undefined, remoteStream: undefined });
  }

  setAutoAnswer(on: boolean): void {
    this.set({ autoAnswer: on });
  }

  /** The next incoming call is answered without a click (click-to-dial rings the agent first). */
  expectAutoAnswer(): void {
    this.autoAnswerOnce = true;
  }

  setMediaChoice(choice: MediaChoice): void {
    this.choice = { ...this.choice, ...choice };
  }

  private incoming(session: RTCSession, callInfo: string): void {
    if (this.session !== undefined) {
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    this.attach(session, 'incoming', session.remote_identity.uri.user);
    const auto = this.state.autoAnswer || this.autoAnswerOnce || /answer-after=0/i.test(callInfo);
    this.autoAnswerOnce = false;
    if (auto || this.acceptPending) this.answer();
  }

  /** Accept: answers the ringing call, or the call that is about to ring (the offer came first). */
  answer(): void {
    const session = this.session;
    if (session === undefined || this.state.call?.status !== 'ringing') {
      this.acceptPending = true;
      return;
    }
    this.acceptPending = false;
    this.localMedia().then(
      (stream) => {
        if (this.session !== session || !session.isInProgress()) return;
        session.answer({ mediaStream: stream, pcConfig: PC_CONFIG });
      },
      (err: unknown) => {
        this.log('no local media', String(err));
        session.terminate({ status_code: 488, reason_phrase: 'No Media' });
      },
    );
  }

  /** Reject: declines the ringing call (CTI offers the contact again). */
  reject(): void {
    this.acceptPending = false;
    if (this.session !== undefined && this.state.call?.status === 'ringing') {
      this.session.terminate({ status_code: 603, reason_phrase: 'Decline' });
    }
  }

  hangup(): void {
    this.acceptPending = false;
    this.session?.terminate();
  }

  /** A call from the page itself (the customer's guest call). */
  async call(target: string, extraHeaders: string[]): Promise<void> {
    if (this.ua === undefined) throw new Error('not started');
    const stream = await this.localMedia();
    const session = this.ua.call(target, { mediaStream: stream, pcConfig: PC_CONFIG, extraHeaders });
    this.attach(session, 'outgoing', target);
  }

  private attach(session: RTCSession, direction: 'incoming' | 'outgoing', remote: string): void {
    this.session = session;
    const remoteStream = new MediaStream();
    this.set({
      call: { direction, status: direction === 'incoming' ? 'ringing' : 'calling', remote },
      remoteStream,
    });
    const watch = (pc: RTCPeerConnection) => {
      pc.addEventListener('track', (ev: RTCTrackEvent) => {
        remoteStream.addTrack(ev.track);
        this.set({ remoteStream });
      });
    };
    if (session.connection) watch(session.connection);
    // Asterisk's offer or answer, before the browser applies it (why: domain/sdp.ts).
    session.on('sdp', (e: { originator: string; sdp: string }) => {
      if (e.originator === 'remote') e.sdp = withoutTransportCc(e.sdp);
    });
    session.on('peerconnection', (e: { peerconnection: RTCPeerConnection }) => watch(e.peerconnection));
    session.on('confirmed', () => {
      const call = this.state.call;
      if (call) this.set({ call: { ...call, status: 'active' } });
    });
    const end = (e: { cause: string }) => {
      if (this.session !== session) return;
      this.session = undefined;
      this.stopLocal();
      const call = this.state.call;
      this.set({ call: call && { ...call, status: 'ended', endCause: e.cause }, muted: false });
      if (this.stopAfterCall) this.stop();
    };
    session.on('ended', end);
    session.on('failed', end);
  }

  private async localMedia(): Promise<MediaStream> {
    if (this.state.localStream?.active) return this.state.localStream;
    const audio: MediaTrackConstraints | boolean = this.choice.audioInput
      ? { deviceId: { exact: this.choice.audioInput } }
      : true;
    const video: MediaTrackConstraints = {
      width: { ideal: 640 },
      height: { ideal: 480 },
      ...(this.choice.videoInput ? { deviceId: { exact: this.choice.videoInput } } : {}),
    };
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio, video });
    } catch (err) {
      // No camera (or it is refused): a voice call is better than none.
      this.log('camera unavailable, voice only', String(err));
      stream = await navigator.mediaDevices.getUserMedia({ audio, video: false });
    }
    for (const t of stream.getVideoTracks()) t.enabled = !this.state.cameraOff;
    for (const t of stream.getAudioTracks()) t.enabled = !this.state.muted;
    this.set({ localStream: stream });
    return stream;
  }

  private stopLocal(): void {
    for (const t of this.state.localStream?.getTracks() ?? []) t.stop();
    this.set({ localStream: undefined });
  }

  setMuted(muted: boolean): void {
    for (const t of this.state.localStream?.getAudioTracks() ?? []) t.enabled = !muted;
    this.set({ muted });
  }

  /** Camera off sends no picture (black frames) without renegotiating the call. */
  setCameraOff(off: boolean): void {
    for (const t of this.state.localStream?.getVideoTracks() ?? []) t.enabled = !off;
    this.set({ cameraOff: off });
  }

  /** RFC 4733 telephone events in the RTP (Asterisk's `dtmf_mode = rfc4733`), not SIP INFO. */
  sendDtmf(tone: string): void {
    if (this.session === undefined || this.state.call?.status !== 'active') return;
    this.session.sendDTMF(tone, { transportType: 'RFC2833' as never, duration: 160, interToneGap: 80 });
  }

  /** Switches microphone or camera, during a call too (the sender's track is replaced in place). */
  async switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    this.setMediaChoice(kind === 'audioinput' ? { audioInput: deviceId } : { videoInput: deviceId });
    const pc = this.session?.connection;
    const local = this.state.localStream;
    if (pc === undefined || local === undefined) return;
    const fresh = await navigator.mediaDevices.getUserMedia(
      kind === 'audioinput'
        ? { audio: { deviceId: { exact: deviceId } } }
        : { video: { deviceId: { exact: deviceId } } },
    );
    const track = fresh.getTracks()[0];
    if (track === undefined) return;
    const sender = pc.getSenders().find((s) => s.track?.kind === track.kind);
    await sender?.replaceTrack(track);
    for (const old of kind === 'audioinput' ? local.getAudioTracks() : local.getVideoTracks()) {
      local.removeTrack(old);
      old.stop();
    }
    track.enabled = kind === 'audioinput' ? !this.state.muted : !this.state.cameraOff;
    local.addTrack(track);
    this.set({ localStream: local });
  }

  /** The current call's video stream stats (codec, frames, quality limitation): test hook. */
  videoStats(): Promise<Record<string, unknown>[]> {
    return videoStats(this.session?.connection);
  }

  /** Video frames decoded from and sent to the other side in the current call (test hook). */
  async getStats(): Promise<{ framesDecoded: number; framesSent: number }> {
    const pc = this.session?.connection;
    const out = { framesDecoded: 0, framesSent: 0 };
    if (pc === undefined) return out;
    const report = await pc.getStats();
    report.forEach((s: { type: string; kind?: string; framesDecoded?: number; framesSent?: number }) => {
      if (s.kind !== 'video') return;
      if (s.type === 'inbound-rtp') out.framesDecoded += s.framesDecoded ?? 0;
      if (s.type === 'outbound-rtp') out.framesSent += s.framesSent ?? 0;
    });
    return out;
  }
}

/** The video RTP streams' stats with their codec, for diagnosis (test hook `videoStats`). */
export async function videoStats(pc: RTCPeerConnection | undefined): Promise<Record<string, unknown>[]> {
  if (pc === undefined) return [];
  const report = await pc.getStats();
  const out: Record<string, unknown>[] = [];
  report.forEach((s: { type: string; kind?: string; codecId?: string }) => {
    if (s.kind !== 'video' || (s.type !== 'inbound-rtp' && s.type !== 'outbound-rtp')) return;
    const codec =
      s.codecId === undefined ? undefined : (report.get(s.codecId) as { mimeType?: string } | undefined);
    out.push({ ...s, codec: codec?.mimeType });
  });
  return out;
}

export async function listDevices(): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  return navigator.mediaDevices.enumerateDevices();
}
