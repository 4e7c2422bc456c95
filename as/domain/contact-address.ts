/**
 * What a contact's `from` names, for finding its customer: an e-mail address, or a number still to be
 * normalised. An SMS over SIP MESSAGE comes from a SIP URI (`sip:+15550123@203.0.113.5:5060`): its
 * user part is the customer's number, not an e-mail address, although the URI holds an `@`.
 */
export type ContactAddress = { kind: 'email'; address: string } | { kind: 'number'; number: string };

const SIP_URI = /^sips?:([^@;?]+)@/i;
const TEL_URI = /^tel:([^;?]+)/i;

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a stray "%": the raw text is still worth a lookup
  }
}

export function contactAddress(from: string): ContactAddress | null {
  const raw = from.trim();
  if (raw === '') return null;
  const uri = SIP_URI.exec(raw) ?? TEL_URI.exec(raw);
  if (uri !== null) {
    const user = decoded(uri[1] ?? '').trim();
    // A SIP user that is a name ("alice"), not a number, names no customer.
    return /^\+?[0-9 ().-]+$/.test(user) ? { kind: 'number', number: user } : null;
  }
  if (raw.includes('@')) return { kind: 'email', address: raw.toLowerCase() };
  return { kind: 'number', number: raw };
}
