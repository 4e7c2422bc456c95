import { LinkedList, ListNode } from './linked-list';
import type { ContactRec } from './records';

/**
 * The contacts waiting in one queue, in service order: first those returned after ring-no-answer (they had
 * reached the head once), then everybody else by enqueue time. A callback entry is an ordinary entry with
 * its original enqueue time, so it is served exactly where the caller would have been.
 */
export class WaitingLine {
  private readonly returned = new LinkedList<ContactRec>();
  private readonly fresh = new LinkedList<ContactRec>();

  get size(): number {
    return this.returned.size + this.fresh.size;
  }

  head(): ContactRec | undefined {
    return (this.returned.head ?? this.fresh.head)?.value;
  }

  add(contact: ContactRec): void {
    const node = new ListNode(contact);
    contact.node = node;
    (contact.returned ? this.returned : this.fresh).insertSorted(node, arrivedBefore);
  }

  remove(contact: ContactRec): void {
    const node = contact.node;
    if (!node) return;
    node.list?.remove(node);
    contact.node = undefined;
  }

  /** 1-based position; walks from the head, which is fine for the occasional IVR announcement. */
  position(contact: ContactRec): number | undefined {
    let position = 1;
    for (const list of [this.returned, this.fresh]) {
      for (let n = list.head; n; n = n.next) {
        if (n.value === contact) return position;
        position++;
      }
    }
    return undefined;
  }

  *contacts(): IterableIterator<ContactRec> {
    yield* this.returned.values();
    yield* this.fresh.values();
  }
}

export function arrivedBefore(a: ContactRec, b: ContactRec): boolean {
  return a.enqueuedAt < b.enqueuedAt || (a.enqueuedAt === b.enqueuedAt && a.seq < b.seq);
}
