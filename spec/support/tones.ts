/**
 * Pure tones in G.711 mu-law, and how much of a received stream each tone makes up: every phone of a
 * multi-party test sends its own tone, so what a phone receives tells whom it hears. Frequencies are
 * multiples of 50 Hz: each is a whole number of cycles in any 20 ms block (160 samples), so the tones
 * are orthogonal block by block, whatever the phase or the packet boundaries.
 */
const RATE = 8000;
const BLOCK = 160;

/** One linear 16-bit sample to mu-law (G.711). */
export function ulawEncode(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function ulawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

/** One second of a sine at `hz` (a multiple of 50) in mu-law: looped, it stays continuous. */
export function toneUlaw(hz: number, amplitude = 6000): Buffer {
  if (hz % 50 !== 0) throw new Error(`${hz} Hz is not a multiple of 50 Hz`);
  const out = Buffer.alloc(RATE);
  for (let i = 0; i < RATE; i++) out[i] = ulawEncode(amplitude * Math.sin((2 * Math.PI * hz * i) / RATE));
  return out;
}

/**
 * The share of the signal's energy at each frequency (0..1), from mu-law payloads taken in 160-sample
 * blocks (a payload's tail shorter than a block is left out). Silence gives 0 everywhere.
 */
export function toneShares(payloads: readonly Buffer[], freqs: readonly number[]): number[] {
  const tone = freqs.map(() => 0);
  let total = 0;
  const x = new Float64Array(BLOCK);
  for (const p of payloads) {
    for (let start = 0; start + BLOCK <= p.length; start += BLOCK) {
      for (let i = 0; i < BLOCK; i++) {
        x[i] = ulawDecode(p[start + i] ?? 0xff);
        total += (x[i] as number) ** 2;
      }
      freqs.forEach((hz, k) => {
        let re = 0;
        let im = 0;
        for (let i = 0; i < BLOCK; i++) {
          const w = (2 * Math.PI * hz * i) / RATE;
          re += (x[i] as number) * Math.cos(w);
          im += (x[i] as number) * Math.sin(w);
        }
        // Energy of that sine over the block: N * A^2 / 2, with A = 2|X|/N.
        tone[k] = (tone[k] ?? 0) + (2 * (re * re + im * im)) / BLOCK;
      });
    }
  }
  return tone.map((e) => (total === 0 ? 0 : e / total));
}
