import { expect } from '../../support/chai';
import fc from 'fast-check';
import { IndexedHeap } from '../../../cti/domain/indexed-heap';

interface Item {
  key: number;
  heapPos: number;
}

describe('cti/domain IndexedHeap', () => {
  it('walks items in key order through pushes, removals and key updates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 1000 }), fc.boolean()), { maxLength: 30 }),
        (keys, edits) => {
          const heap = new IndexedHeap<Item>((a, b) => a.key < b.key);
          const items = keys.map((key) => ({ key, heapPos: -1 }));
          items.forEach((i) => heap.push(i));
          for (const [at, key, drop] of edits) {
            const item = items[at % Math.max(1, items.length)];
            if (!item) continue;
            if (drop) heap.remove(item);
            else {
              item.key = key;
              heap.update(item);
            }
          }
          const seen: number[] = [];
          heap.walk((i) => {
            seen.push(i.key);
            return false;
          });
          const expected = items.filter((i) => heap.has(i)).map((i) => i.key);
          expect(seen).to.deep.equal([...expected].sort((a, b) => a - b));
          expect(heap.size).to.equal(expected.length);
        },
      ),
    );
  });
});
