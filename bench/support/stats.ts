/** Nearest-rank percentile of unsorted samples (NaN when there are none). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((x, y) => x - y);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] as number;
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** A figure for a Markdown table: one decimal, or a dash when there is no sample. */
export function fmt(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '–' : String(round1(x));
}
