import {
  type BitSet,
  addBit,
  bitCount,
  bitMembers,
  emptyBitSet,
  grownBitSet,
  hasBit,
  removeBit,
} from './bit-sets.js';

/** A person as the word index takes them in: people_search's folded words and what filters need. */
export interface IndexedPerson {
  rowid: number;
  id: string;
  sortKey: string;
  unitId: string | null;
  locationId: string | null;
  /** The folded words of the name, and of everything else searched. */
  name: string;
  other: string;
}

export interface WordSearch {
  /** Folded words, each of which must begin a word of the person's. */
  words: readonly string[];
  /** Name matches first (see DirectoryStore.listPeople), or one list in directory order. */
  ranked: boolean;
  unitIds: ReadonlySet<string> | null;
  locationId: string | null;
  offset: number;
  limit: number;
  /** At most this many are listed; `more` says whether more matched. */
  cap: number;
}

export interface WordSearchHits {
  rowids: number[];
  total: number;
  more: boolean;
}

/**
 * The words of some people, sorted, with each word's people as one run of `postings`
 * (`slot * 2 + 1` where the word is part of the name, `slot * 2` elsewhere): every word a typed
 * prefix begins is a contiguous range of `words`, so its people are one contiguous run too.
 */
interface Segment {
  words: string[];
  offsets: Int32Array;
  postings: Int32Array;
}

interface WordBits {
  any: BitSet;
  name: BitSet;
}

const wordSeparators = /[^\p{L}\p{N}]+/u;
/** Past the last word that begins with a prefix: `prefix + highest` sorts after all of them. */
const highest = '\uffff';
const cachedWords = 64;

/**
 * The active directory's search words in memory, for search as you type on large directories:
 * FTS5 reads a prefix that most of the company matches (the first digits of a phone number) at
 * tens of milliseconds and cannot hand its matches out in directory order, which a page of the
 * best matches needs. Here a word's people are bit sets over slots, combined word by word, and
 * a page is read off in directory order. Matching is FTS5's: every typed word begins a word of the
 * person's, in the folded form people_search holds.
 *
 * People are added in slots; a changed person is removed (the slot stays, dead) and added anew.
 */
export class PeopleWordIndex {
  private readonly rowids: number[] = [];
  private readonly ids: string[] = [];
  private readonly sortKeys: string[] = [];
  private readonly unitIds: (string | null)[] = [];
  private readonly locationIds: (string | null)[] = [];
  private live: BitSet = emptyBitSet(0);
  private readonly slotOfRowid = new Map<number, number>();
  /** Live slots in directory order (`sort_key`, then id, as SQLite compares them). */
  private order: number[] = [];
  private ordered = true;
  private rankOf: Int32Array | null = null;
  private readonly segments: Segment[] = [];
  private readonly wordBits = new Map<string, WordBits>();
  private filterBits: { key: string; bits: BitSet } | null = null;

  /** People in the index. */
  get size(): number {
    return this.slotOfRowid.size;
  }

  /** The share of slots that belong to removed people: space a rebuild would win back. */
  get deadShare(): number {
    return this.rowids.length === 0 ? 0 : 1 - this.slotOfRowid.size / this.rowids.length;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  has(rowid: number): boolean {
    return this.slotOfRowid.has(rowid);
  }

  /** Adds people not in the index (remove a changed one first). */
  add(people: readonly IndexedPerson[]): void {
    if (people.length === 0) return;
    const first = this.rowids.length;
    this.live = grownBitSet(this.live, first + people.length);
    const words: { slot: number; name: string; other: string }[] = [];
    for (const person of people) {
      if (this.slotOfRowid.has(person.rowid)) throw new Error('person is in the word index already');
      const slot = this.rowids.length;
      this.rowids.push(person.rowid);
      this.ids.push(person.id);
      this.sortKeys.push(person.sortKey);
      this.unitIds.push(person.unitId);
      this.locationIds.push(person.locationId);
      this.slotOfRowid.set(person.rowid, slot);
      addBit(this.live, slot);
      words.push({ slot, name: person.name, other: person.other });
      this.place(slot, people.length);
    }
    this.segments.push(compileSegment(words));
    this.changed();
  }

  /** Removes a person, if in the index. */
  remove(rowid: number): void {
    const slot = this.slotOfRowid.get(rowid);
    if (slot === undefined) return;
    this.slotOfRowid.delete(rowid);
    removeBit(this.live, slot);
    if (this.ordered) this.order.splice(this.position(slot), 1);
    else this.order = this.order.filter((other) => other !== slot);
    this.changed();
  }

  /** One page of the people matching every word, best first, with how many match. */
  search(request: WordSearch): WordSearchHits {
    this.sortOrder();
    const candidates = this.filtered(request.unitIds, request.locationId);
    const words = request.words.map((word) => this.bitsOf(word));
    const all = candidates.slice();
    const inName = candidates.slice();
    for (const { any, name } of words) {
      for (let i = 0; i < all.length; i++) {
        all[i]! &= any[i]!;
        inName[i]! &= name[i]!;
      }
    }
    const tiers = [all];
    if (request.ranked && words.length > 0) {
      // As listPeople's FTS tiers: named so in full; named after the first word; everyone else.
      const firstInName = words[0]!.name;
      const namedFirst = all.slice();
      const rest = all.slice();
      for (let i = 0; i < all.length; i++) {
        namedFirst[i]! &= firstInName[i]! & ~inName[i]!;
        rest[i]! &= ~firstInName[i]!;
      }
      tiers.splice(0, 1, inName, namedFirst, rest);
    }

    const wanted = Math.max(0, Math.min(request.limit, request.cap - request.offset));
    const hits: number[] = [];
    let total = 0;
    let skip = request.offset;
    for (const tier of tiers) {
      const matches = bitCount(tier);
      total += matches;
      if (hits.length < wanted && skip < matches) {
        hits.push(...this.inOrder(tier, matches, skip, wanted - hits.length));
        skip = 0;
      } else {
        skip = Math.max(0, skip - matches);
      }
    }
    return {
      rowids: hits.map((slot) => this.rowids[slot]!),
      total: Math.min(total, request.cap),
      more: total > request.cap,
    };
  }

  /** `take` members of `tier` after skipping `skip`, in directory order. */
  private inOrder(tier: BitSet, matches: number, skip: number, take: number): number[] {
    // Few matches are sorted; many are picked off the directory order until the page is full.
    if (matches * 64 < this.order.length) {
      const rankOf = this.ranks();
      return bitMembers(tier)
        .sort((a, b) => rankOf[a]! - rankOf[b]!)
        .slice(skip, skip + take);
    }
    const page: number[] = [];
    for (const slot of this.order) {
      if (!hasBit(tier, slot)) continue;
      if (skip > 0) skip -= 1;
      else if (page.push(slot) === take) break;
    }
    return page;
  }

  /** The people a word begins a word of, everywhere and in the name. */
  private bitsOf(word: string): WordBits {
    const cached = this.wordBits.get(word);
    if (cached) return cached;
    const any = emptyBitSet(this.rowids.length);
    const name = emptyBitSet(this.rowids.length);
    for (const segment of this.segments) {
      const from = segment.offsets[lowerBound(segment.words, word)]!;
      const to = segment.offsets[lowerBound(segment.words, word + highest)]!;
      for (let i = from; i < to; i++) {
        const posting = segment.postings[i]!;
        addBit(any, posting >>> 1);
        if ((posting & 1) === 1) addBit(name, posting >>> 1);
      }
    }
    const bits = { any, name };
    if (this.wordBits.size >= cachedWords) this.wordBits.delete(this.wordBits.keys().next().value!);
    this.wordBits.set(word, bits);
    return bits;
  }

  /** The live people in the unit set and at the location asked for. */
  private filtered(unitIds: ReadonlySet<string> | null, locationId: string | null): BitSet {
    if (unitIds === null && locationId === null) return this.live;
    const key = `${[...(unitIds ?? [])].join(',')}|${locationId ?? ''}`;
    if (this.filterBits?.key === key) return this.filterBits.bits;
    const bits = emptyBitSet(this.rowids.length);
    for (const slot of this.slotOfRowid.values()) {
      const unitId = this.unitIds[slot];
      if (unitIds !== null && (unitId === null || unitId === undefined || !unitIds.has(unitId))) continue;
      if (locationId !== null && this.locationIds[slot] !== locationId) continue;
      addBit(bits, slot);
    }
    this.filterBits = { key, bits };
    return bits;
  }

  /** Puts a new slot into the directory order; a large batch is sorted once instead. */
  private place(slot: number, batchSize: number): void {
    const last = this.order.at(-1);
    if (this.ordered && last !== undefined && this.compareSlots(last, slot) > 0) {
      if (batchSize > 64) this.ordered = false;
      else {
        this.order.splice(this.position(slot), 0, slot);
        return;
      }
    }
    this.order.push(slot);
  }

  /** Sorts the directory order after large batches (searching does it too, when needed). */
  sortOrder(): void {
    if (this.ordered) return;
    this.order.sort((a, b) => this.compareSlots(a, b));
    this.ordered = true;
    this.rankOf = null;
  }

  /** Where `slot` is or belongs in the (sorted) directory order. */
  private position(slot: number): number {
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compareSlots(this.order[middle]!, slot) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private compareSlots(a: number, b: number): number {
    return (
      compareCodePoints(this.sortKeys[a]!, this.sortKeys[b]!) || compareCodePoints(this.ids[a]!, this.ids[b]!)
    );
  }

  private ranks(): Int32Array {
    if (!this.rankOf) {
      const rankOf = new Int32Array(this.rowids.length);
      this.order.forEach((slot, rank) => {
        rankOf[slot] = rank;
      });
      this.rankOf = rankOf;
    }
    return this.rankOf;
  }

  private changed(): void {
    this.wordBits.clear();
    this.filterBits = null;
    this.rankOf = null;
  }
}

function compileSegment(people: readonly { slot: number; name: string; other: string }[]): Segment {
  const postingsOf = new Map<string, number[]>();
  const add = (slot: number, text: string, inName: number) => {
    for (const word of text.split(wordSeparators)) {
      if (word === '') continue;
      let postings = postingsOf.get(word);
      if (!postings) postingsOf.set(word, (postings = []));
      // The name's words come first: a word in name and elsewhere keeps the name's mark.
      const last = postings.at(-1);
      if (last === undefined || last >>> 1 !== slot) postings.push(slot * 2 + inName);
    }
  };
  let count = 0;
  for (const { slot, name, other } of people) {
    add(slot, name, 1);
    add(slot, other, 0);
  }
  const words = [...postingsOf.keys()].sort();
  for (const word of words) count += postingsOf.get(word)!.length;
  const offsets = new Int32Array(words.length + 1);
  const postings = new Int32Array(count);
  let at = 0;
  words.forEach((word, i) => {
    offsets[i] = at;
    for (const posting of postingsOf.get(word)!) postings[at++] = posting;
  });
  offsets[words.length] = at;
  return { words, offsets, postings };
}

/** The first index of `sorted` whose word is not below `word` (UTF-16 order, as `sort()` left it). */
function lowerBound(sorted: readonly string[], word: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < word) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Compares as SQLite's BINARY collation does (UTF-8 bytes, which is code point order). UTF-16
 * code units differ only in that surrogates, which encode code points above U+FFFF, come below
 * U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return inCodePointOrder(x) - inCodePointOrder(y);
  }
  return a.length - b.length;
}

function inCodePointOrder(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
