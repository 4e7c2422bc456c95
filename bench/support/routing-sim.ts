/**
 * The CTI routing benchmark's harness pieces, in typed arrays so that the harness's own memory and garbage
 * stay small and the process's memory is mostly the domain's: a seeded generator, the event agenda, latency
 * samples and per-contact state.
 */

/** mulberry32: a seeded generator so every run routes the same traffic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Binary min-heap of simulated events by time (then insertion order), in typed arrays: an event is a
 * time, a sequence number, a kind code and an argument (contact number, agent number or timer slot).
 * The harness's own memory and garbage stay small, so the process's memory is mostly the domain's.
 */
export class Agenda {
  private at = new Float64Array(1 << 14);
  private seq = new Uint32Array(1 << 14);
  private kind = new Uint8Array(1 << 14);
  private arg = new Int32Array(1 << 14);
  private n = 0;
  private next = 0;
  /** The event `pop` took off. */
  topAt = 0;
  topKind = 0;
  topArg = 0;
  get size(): number {
    return this.n;
  }
  push(at: number, kind: number, arg = 0): void {
    if (this.n === this.at.length) this.grow();
    const s = this.next++;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(at, s, p)) break;
      this.copy(p, i);
      i = p;
    }
    this.put(i, at, s, kind, arg);
  }
  /** False when empty; otherwise the event is in topAt/topKind/topArg. */
  pop(): boolean {
    if (this.n === 0) return false;
    this.topAt = this.at[0] as number;
    this.topKind = this.kind[0] as number;
    this.topArg = this.arg[0] as number;
    const last = --this.n;
    if (last === 0) return true;
    const at = this.at[last] as number;
    const s = this.seq[last] as number;
    const kind = this.kind[last] as number;
    const arg = this.arg[last] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const c =
        l + 1 < last && this.before(this.at[l + 1] as number, this.seq[l + 1] as number, l) ? l + 1 : l;
      if (!this.before(this.at[c] as number, this.seq[c] as number, -1, at, s)) break;
      this.copy(c, i);
      i = c;
    }
    this.put(i, at, s, kind, arg);
    return true;
  }
  private before(at: number, s: number, j: number, at2?: number, s2?: number): boolean {
    const bAt = at2 ?? this.at[j] ?? Infinity;
    const bS = s2 ?? this.seq[j] ?? Infinity;
    return at < bAt || (at === bAt && s < bS);
  }
  private copy(from: number, to: number): void {
    this.put(
      to,
      this.at[from] as number,
      this.seq[from] as number,
      this.kind[from] as number,
      this.arg[from] as number,
    );
  }
  private put(i: number, at: number, s: number, kind: number, arg: number): void {
    this.at[i] = at;
    this.seq[i] = s;
    this.kind[i] = kind;
    this.arg[i] = arg;
  }
  private grow(): void {
    const size = this.at.length * 2;
    const at = new Float64Array(size);
    at.set(this.at);
    this.at = at;
    const seq = new Uint32Array(size);
    seq.set(this.seq);
    this.seq = seq;
    const kind = new Uint8Array(size);
    kind.set(this.kind);
    this.kind = kind;
    const arg = new Int32Array(size);
    arg.set(this.arg);
    this.arg = arg;
  }
}

/** A growable array of unsigned 32-bit samples (nanoseconds: a call over 4.29 s would be clamped). */
export class Samples {
  private data = new Uint32Array(1 << 16);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = Math.min(x, 0xffffffff);
  }
  sorted(): Uint32Array {
    return this.data.subarray(0, this.length).sort();
  }
}

/** Per-contact harness state by contact number (`c<n>`), in typed arrays that grow with the run. */
export class ContactTable {
  /** 0 none, 1 waiting, 2 offered, 3 connected. */
  phase = new Uint8Array(1 << 16);
  email = new Uint8Array(1 << 16);
  agent = new Int32Array(1 << 16);
  ensure(n: number): void {
    if (n < this.phase.length) return;
    let size = this.phase.length;
    while (size <= n) size *= 2;
    const phase = new Uint8Array(size);
    phase.set(this.phase);
    this.phase = phase;
    const email = new Uint8Array(size);
    email.set(this.email);
    this.email = email;
    const agent = new Int32Array(size);
    agent.set(this.agent);
    this.agent = agent;
  }
}
