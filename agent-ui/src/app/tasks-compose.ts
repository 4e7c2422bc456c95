import type { ThreadMessage } from '../adapters/messages-api';

/**
 * The reply composer's arithmetic, apart from the views: the quote of the customer's last message, the
 * SMS length counter and the attachment limits the AS enforces (checked here first so that the agent
 * learns before uploading).
 */

/** The AS refuses a longer SMS reply (as/plugins/messages). */
export const SMS_MAX_CHARS = 1600;
/** The AS's reply limits (as/plugins/messages/routes.ts): a file, and a reply's files together. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/** The customer's newest message: the one a reply answers and quotes. */
export function lastInbound(messages: readonly ThreadMessage[]): ThreadMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m = messages[i];
    if (m?.direction === 'inbound') return m;
  }
  return undefined;
}

/** `Re: <subject>`, without stacking prefixes (`Re: Re: ...`). */
export function replySubject(subject: string | undefined): string {
  const s = (subject ?? '').trim();
  return /^re:/i.test(s) ? s : `Re: ${s}`.trim();
}

/** Each line of `text` behind `> ` (an empty line gets a bare `>`), after the attribution line. */
export function quoteText(attribution: string, text: string): string {
  const body = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
  return `${attribution}\n${body}`;
}

/** What is sent: the agent's text, then (when the quote is on) a blank line and the quote. */
export function replyText(text: string, quote: string | undefined): string {
  const own = text.replace(/\s+$/, '');
  return quote === undefined || quote === '' ? own : `${own}\n\n${quote}`;
}

export interface SmsCount {
  length: number;
  left: number;
  over: boolean;
}

/** Characters as the AS counts them: code points (an emoji is one, not JavaScript's two units). */
export function smsCount(text: string): SmsCount {
  const length = [...text].length;
  return { length, left: SMS_MAX_CHARS - length, over: length > SMS_MAX_CHARS };
}

export type FileProblem = { code: 'file-too-large'; name: string } | { code: 'message-too-large' };

/** The first limit the chosen files break, if any. */
export function fileProblem(files: readonly { name: string; size: number }[]): FileProblem | undefined {
  const big = files.find((f) => f.size > MAX_FILE_BYTES);
  if (big !== undefined) return { code: 'file-too-large', name: big.name };
  const total = files.reduce((n, f) => n + f.size, 0);
  return total > MAX_MESSAGE_BYTES ? { code: 'message-too-large' } : undefined;
}

/** `820 B`, `12.5 kB`, `3.1 MB` (decimal units, one decimal from a kilobyte). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
