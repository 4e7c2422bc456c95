/** Pure helpers of the audit page: what changed in an entry, and the filter as the API's query. */

/** Top-level fields whose values differ between `before` and `after` (a create or delete: every field). */
export function changedFields(before: unknown, after: unknown): string[] {
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  for (const noise of ['id', 'createdAt', 'updatedAt']) keys.delete(noise);
  return [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).sort();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface AuditFilter {
  actor: string;
  action: string;
  /** yyyy-mm-dd from a date input: the whole day in the browser's time zone. */
  from: string;
  to: string;
}

/** The filter as query parameters: dates become the start of `from` and the end of `to` (local days). */
export function auditQueryOf(filter: AuditFilter, page: number, pageSize: number) {
  const day = (d: string, plusDays: number) => {
    const [y, m, dd] = d.split('-').map(Number);
    if (y === undefined || m === undefined || dd === undefined) return undefined;
    return new Date(y, m - 1, dd + plusDays).toISOString();
  };
  return {
    ...(filter.actor !== '' ? { actor: filter.actor } : {}),
    ...(filter.action !== '' ? { action: filter.action } : {}),
    ...(filter.from !== '' ? { from: day(filter.from, 0) } : {}),
    ...(filter.to !== '' ? { to: day(filter.to, 1) } : {}),
    limit: pageSize,
    skip: page * pageSize,
  };
}
