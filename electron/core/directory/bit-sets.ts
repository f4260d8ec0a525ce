/** Sets of small non-negative integers as bits, 32 to a word. */
export type BitSet = Uint32Array;

export function emptyBitSet(size: number): BitSet {
  return new Uint32Array((size + 31) >>> 5);
}

export function addBit(bits: BitSet, n: number): void {
  bits[n >>> 5]! |= 1 << (n & 31);
}

export function removeBit(bits: BitSet, n: number): void {
  bits[n >>> 5]! &= ~(1 << (n & 31));
}

export function hasBit(bits: BitSet, n: number): boolean {
  return (bits[n >>> 5]! & (1 << (n & 31))) !== 0;
}

/** A copy of `bits` with room for `size` members. */
export function grownBitSet(bits: BitSet, size: number): BitSet {
  const grown = emptyBitSet(size);
  grown.set(bits.subarray(0, Math.min(bits.length, grown.length)));
  return grown;
}

/** How many members `bits` has. */
export function bitCount(bits: BitSet): number {
  let count = 0;
  for (let i = 0; i < bits.length; i++) {
    let word = bits[i]!;
    word -= (word >>> 1) & 0x55555555;
    word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
    count += (((word + (word >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return count;
}

/** The members of `bits` in ascending order. */
export function bitMembers(bits: BitSet): number[] {
  const members: number[] = [];
  for (let i = 0; i < bits.length; i++) {
    let word = bits[i]!;
    while (word !== 0) {
      members.push(i * 32 + 31 - Math.clz32(word & -word));
      word &= word - 1;
    }
  }
  return members;
}
