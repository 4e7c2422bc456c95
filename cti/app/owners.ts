/**
 * Which SoftACD owns each live call's channel and which IVR holds it: commands go to those instances.
 * Entries leave when the call is cleared.
 */
export class ContactOwners {
  private readonly softacds = new Map<string, string>();
  private readonly ivrs = new Map<string, string>();

  setSoftacd(contactId: string, instance: string): void {
    this.softacds.set(contactId, instance);
  }

  setIvr(contactId: string, instance: string): void {
    this.ivrs.set(contactId, instance);
  }

  softacd(contactId: string): string | undefined {
    return this.softacds.get(contactId);
  }

  ivr(contactId: string): string | undefined {
    return this.ivrs.get(contactId);
  }

  forget(contactId: string): void {
    this.softacds.delete(contactId);
    this.ivrs.delete(contactId);
  }

  get size(): number {
    return this.softacds.size;
  }
}
