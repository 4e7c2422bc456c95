/**
 * The one-line files the dialplan writes with FILE() into a spool (SIP MESSAGEs, fax status):
 * `key=value|…|end=1`, each value FILTERed by the dialplan. Pure. Every field is checked again against
 * its rule, so a file that did not come from that dialplan is refused, never trusted.
 */

export interface SpoolLineFormat {
  /** What each field may hold, in the order the dialplan writes them. */
  fields: ReadonlyMap<string, RegExp>;
  required: readonly string[];
  /** The whole line: a longer one is no entry of ours. */
  maxBytes: number;
}

export type SpoolLineParse =
  | { kind: 'ok'; values: ReadonlyMap<string, string> }
  /** Not (yet) the whole line: FILE() may still be writing it. */
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string };

export function parseSpoolLine(text: string, format: SpoolLineFormat): SpoolLineParse {
  if (text.length > format.maxBytes) return { kind: 'invalid', reason: `over ${format.maxBytes} bytes` };
  const line = text.replace(/\r?\n$/, '');
  if (!line.endsWith('|end=1')) return { kind: 'incomplete' };
  if (/[\r\n]/.test(line)) return { kind: 'invalid', reason: 'more than one line' };
  const values = new Map<string, string>();
  for (const part of line.split('|')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { kind: 'invalid', reason: `field without a name: "${part.slice(0, 40)}"` };
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    const rule = format.fields.get(key);
    if (rule === undefined) return { kind: 'invalid', reason: `unknown field "${key.slice(0, 40)}"` };
    if (values.has(key)) return { kind: 'invalid', reason: `field "${key}" twice` };
    if (!rule.test(value)) return { kind: 'invalid', reason: `field "${key}" has an unexpected value` };
    values.set(key, value);
  }
  for (const key of format.required) if (!values.has(key)) return { kind: 'invalid', reason: `no "${key}"` };
  return { kind: 'ok', values };
}
