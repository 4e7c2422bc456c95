/**
 * Binary min-heap whose items know their own position, so an item whose key changed is re-sifted in
 * O(log n) and any item is removed in O(log n). `walk` visits items in key order without popping them
 * (best-first over the heap tree), which is how an agent scans the waiting queues it may serve.
 */
export interface HeapItem {
  heapPos: number;
}

export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  has(item: T): boolean {
    return item.heapPos >= 0 && this.items[item.heapPos] === item;
  }

  push(item: T): void {
    item.heapPos = this.items.length;
    this.items.push(item);
    this.up(item.heapPos);
  }

  remove(item: T): void {
    if (!this.has(item)) return;
    const pos = item.heapPos;
    const last = this.items.pop() as T;
    item.heapPos = -1;
    if (last === item) return;
    this.items[pos] = last;
    last.heapPos = pos;
    this.update(last);
  }

  /** Restores order after `item`'s key changed. */
  update(item: T): void {
    if (!this.has(item)) return;
    this.up(item.heapPos);
    this.down(item.heapPos);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /**
   * Calls `visit` on items in ascending key order until it returns true; returns that item.
   * The frontier holds heap positions whose parents were visited; it stays small when the match is near
   * the top, which is the common case.
   */
  walk(visit: (item: T) => boolean): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const frontier: number[] = [0];
    const lessAt = (i: number, j: number): boolean => this.less(items[i] as T, items[j] as T);
    while (frontier.length > 0) {
      const pos = popMin(frontier, lessAt);
      const item = items[pos] as T;
      if (visit(item)) return item;
      const left = 2 * pos + 1;
      if (left < items.length) pushMin(frontier, left, lessAt);
      if (left + 1 < items.length) pushMin(frontier, left + 1, lessAt);
    }
    return undefined;
  }

  private up(pos: number): void {
    const items = this.items;
    const item = items[pos] as T;
    while (pos > 0) {
      const parentPos = (pos - 1) >> 1;
      const parent = items[parentPos] as T;
      if (!this.less(item, parent)) break;
      items[pos] = parent;
      parent.heapPos = pos;
      pos = parentPos;
    }
    items[pos] = item;
    item.heapPos = pos;
  }

  private down(pos: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[pos] as T;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.less(items[right] as T, items[left] as T)) child = right;
      const childItem = items[child] as T;
      if (!this.less(childItem, item)) break;
      items[pos] = childItem;
      childItem.heapPos = pos;
      pos = child;
    }
    items[pos] = item;
    item.heapPos = pos;
  }
}

function pushMin(heap: number[], value: number, less: (a: number, b: number) => boolean): void {
  let pos = heap.length;
  heap.push(value);
  while (pos > 0) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos] as number;
    if (!less(value, parent)) break;
    heap[pos] = parent;
    pos = parentPos;
  }
  heap[pos] = value;
}

function popMin(heap: number[], less: (a: number, b: number) => boolean): number {
  const top = heap[0] as number;
  const last = heap.pop() as number;
  if (heap.length === 0) return top;
  let pos = 0;
  const n = heap.length;
  for (;;) {
    const left = 2 * pos + 1;
    if (left >= n) break;
    let child = left;
    if (left + 1 < n && less(heap[left + 1] as number, heap[left] as number)) child = left + 1;
    const childValue = heap[child] as number;
    if (!less(childValue, last)) break;
    heap[pos] = childValue;
    pos = child;
  }
  heap[pos] = last;
  return top;
}
