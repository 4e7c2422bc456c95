/**
 * Intrusive doubly-linked list: the owner keeps the node, so removal is O(1) and appending (the usual case:
 * whoever became ready or arrived last goes last) is O(1). Used for FIFO orders that are almost always
 * appended to in key order.
 */
export class ListNode<T> {
  prev: ListNode<T> | null = null;
  next: ListNode<T> | null = null;
  list: LinkedList<T> | null = null;

  constructor(readonly value: T) {}
}

export class LinkedList<T> {
  head: ListNode<T> | null = null;
  tail: ListNode<T> | null = null;
  size = 0;

  push(node: ListNode<T>): void {
    node.list = this;
    node.prev = this.tail;
    node.next = null;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.size++;
  }

  /** Inserts keeping `before` order, scanning from the tail: O(1) when the node belongs last. */
  insertSorted(node: ListNode<T>, before: (a: T, b: T) => boolean): void {
    let at = this.tail;
    while (at && before(node.value, at.value)) at = at.prev;
    if (at === this.tail) {
      this.push(node);
      return;
    }
    node.list = this;
    node.prev = at;
    node.next = at ? at.next : this.head;
    if (node.next) node.next.prev = node;
    if (at) at.next = node;
    else this.head = node;
    this.size++;
  }

  remove(node: ListNode<T>): void {
    if (node.list !== this) return;
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = null;
    node.next = null;
    node.list = null;
    this.size--;
  }

  *values(): IterableIterator<T> {
    for (let n = this.head; n; n = n.next) yield n.value;
  }
}
