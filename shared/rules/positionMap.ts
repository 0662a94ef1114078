/**
 * A read-only map by ID over rows already held in an array: RulesOutput's customers and
 * tickets as the rows' results by position, found through an IdIndex, instead of a Map
 * filled with 100,000 entries on every computation that most callers read only in part.
 * Only for IDs that each occur once: iteration is then in position order, as a Map filled
 * in that order iterates.
 */
import type { IdIndex } from './idIndex.ts';

class PositionMap<V> implements ReadonlyMap<string, V> {
  /** `idAt(i)` and `valueAt(i)` for i below `size`; `index` gives each ID's position. */
  constructor(
    readonly size: number,
    private readonly idAt: (i: number) => string,
    private readonly valueAt: (i: number) => V,
    private readonly index: IdIndex,
  ) {}

  private positionOf(id: string): number {
    // A key that is not a string is in no map whose keys are strings.
    return typeof id === 'string' ? this.index.get(id) : -1;
  }

  get(id: string): V | undefined {
    const i = this.positionOf(id);
    return i < 0 ? undefined : this.valueAt(i);
  }

  has(id: string): boolean {
    return this.positionOf(id) >= 0;
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, self?: unknown): void {
    for (let i = 0; i < this.size; i++) fn.call(self, this.valueAt(i), this.idAt(i), this);
  }

  *entries(): MapIterator<[string, V]> {
    for (let i = 0; i < this.size; i++) yield [this.idAt(i), this.valueAt(i)];
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.size; i++) yield this.idAt(i);
  }

  *values(): MapIterator<V> {
    for (let i = 0; i < this.size; i++) yield this.valueAt(i);
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}

/**
 * `view` when its IDs each occur once (by its index), else a Map filled in position order:
 * a repeated ID keeps its first place and its last value, as Map.set does.
 */
export function byIdMap<V>(
  size: number,
  idAt: (i: number) => string,
  valueAt: (i: number) => V,
  index: IdIndex | null,
): ReadonlyMap<string, V> {
  if (index !== null && index.unique && index.size === size)
    return new PositionMap(size, idAt, valueAt, index);
  const map = new Map<string, V>();
  for (let i = 0; i < size; i++) map.set(idAt(i), valueAt(i));
  return map;
}
