/**
 * The ring tone of an offered call, made with WebAudio (two sine waves, 2 s on, 4 s off): no audio
 * file to ship or fetch. A browser may keep the context suspended until the user clicked something;
 * signing in is such a click.
 */
export class Ringer {
  private ctx: AudioContext | undefined;
  private gain: GainNode | undefined;
  private oscillators: OscillatorNode[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  start(): void {
    if (this.timer !== undefined) return;
    try {
      this.ctx ??= new AudioContext();
    } catch {
      return; // no WebAudio: the screen pop still shows the offer
    }
    const ctx = this.ctx;
    void ctx.resume().catch(() => undefined);
    const gain = ctx.createGain();
    gain.gain.value = 0;
    gain.connect(ctx.destination);
    for (const f of [440, 480]) {
      const osc = ctx.createOscillator();
      osc.frequency.value = f;
      osc.connect(gain);
      osc.start();
      this.oscillators.push(osc);
    }
    this.gain = gain;
    const ring = () => {
      const t = ctx.currentTime;
      gain.gain.setValueAtTime(0.12, t);
      gain.gain.setValueAtTime(0, t + 2);
    };
    ring();
    this.timer = setInterval(ring, 6000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const osc of this.oscillators) osc.stop();
    this.oscillators = [];
    this.gain?.disconnect();
    this.gain = undefined;
  }

  get ringing(): boolean {
    return this.timer !== undefined;
  }
}
