/**
 * Whether ISAG takes mail for an address: its domain is one of the accepted domains (ISAG_SMTP_DOMAINS).
 * ISAG is no relay, so any other domain is refused at RCPT TO (550). The local part is not checked here:
 * an address of ours with no queue is quarantined after receipt (the contract: stored, then 250).
 */
export function acceptsRecipient(address: string, domains: readonly string[]): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return false;
  const domain = address.slice(at + 1).toLowerCase();
  return domains.includes(domain);
}

/** An address as stored and compared: trimmed, lower-cased (domains and, in practice, local parts). */
export function normalAddress(address: string): string {
  return address.trim().toLowerCase();
}
