/** What became of a batch published together: the records to mark sent, and the rest. */
export interface BatchOutcome<R> {
  /** Confirmed, and no earlier record of theirs failed: marked sent. */
  sent: R[];
  /** Not confirmed (nacked, timed out, channel lost): still pending. */
  failed: R[];
  /**
   * Confirmed, but an earlier record with the same order key was not: left pending too, so that the
   * next sweep publishes both again in their order and the last copy a consumer gets is in order.
   */
  held: R[];
}

/**
 * Which records of a batch may be marked sent, given which the broker confirmed (`confirmed[i]` for
 * `records[i]`, records oldest first). Without an order key every confirmed record is.
 */
export function confirmedInOrder<R>(
  records: readonly R[],
  confirmed: readonly boolean[],
  orderKey?: (record: R) => string,
): BatchOutcome<R> {
  const out: BatchOutcome<R> = { sent: [], failed: [], held: [] };
  const blocked = new Set<string>();
  records.forEach((record, i) => {
    const key = orderKey?.(record);
    if (confirmed[i] !== true) {
      out.failed.push(record);
      if (key !== undefined) blocked.add(key);
    } else if (key !== undefined && blocked.has(key)) out.held.push(record);
    else out.sent.push(record);
  });
  return out;
}
