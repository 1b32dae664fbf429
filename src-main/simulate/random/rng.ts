/**
 * Seeded, splittable random numbers. Every random draw in the app comes from an Rng made by
 * `rngFor(seed, ...path)`: the stream depends only on the seed and the path (e.g. run index), so a
 * bank is bit-identical whatever the number of workers that made it.
 */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/**
 * xoshiro128** (Blackman & Vigna 2018): 128-bit state, period 2^128 − 1, passes BigCrush. Chosen
 * over xoshiro256 because JS has fast 32-bit integer arithmetic (`Math.imul`, `|0`) but no fast
 * 64-bit one. Construct through `rngFor`; the raw constructor is for tests and tools.
 */
export class Xoshiro128ss implements Rng {
  /**
   * The state words s0..s3 (signed 32-bit views of the unsigned words). An Int32Array rather than
   * four fields: V8 reads and writes it as raw int32 (no Smi tagging), ~20% faster in next().
   */
  readonly state: Int32Array;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.state = new Int32Array(4);
    const s = this.state;
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    // The all-zero state is the generator's one fixed point.
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    const s1 = s[1];
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9);
    const t = s1 << 9;
    const s2 = s[2] ^ s[0];
    const s3 = s[3] ^ s1;
    s[1] = s1 ^ s2;
    s[0] ^= s3;
    s[2] = s2 ^ t;
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result >>> 0;
  }

  /**
   * Uniform double in [0, 1): 27 high bits of one output and 26 of the next (the usual 53-bit
   * recipe). The two generator steps of nextUint32 are written out with the state in locals (one
   * load and one store per word instead of two of each, no uint32 → double conversion): the same
   * bits as `((nextUint32() >>> 5) * 2^26 + (nextUint32() >>> 6)) / 2^53`, at about half the cost
   * (this is the hot path of the stochastic simulators).
   */
  next(): number {
    const s = this.state;
    let s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    // Step 1.
    let x = Math.imul(s1, 5);
    const a = Math.imul((x << 7) | (x >>> 25), 9) >>> 5;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    // Step 2.
    x = Math.imul(s1, 5);
    const b = Math.imul((x << 7) | (x >>> 25), 9) >>> 6;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = (s3 << 11) | (s3 >>> 21);
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }
}

/** MurmurHash3's 32-bit finaliser: a bijection with full avalanche (every input bit flips each output bit with p ≈ 1/2). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function checkInteger(what: string | number, v: number, allowNegative: boolean): void {
  if (!Number.isSafeInteger(v) || (!allowNegative && v < 0)) {
    const valid = allowNegative ? 'an integer with |value| ≤ 2^53 − 1' : 'an integer in [0, 2^53 − 1]';
    // A number is a path index: the name is built only here, not on every call.
    throw new RangeError(`rngFor: ${typeof what === 'number' ? `path[${what}]` : what} must be ${valid}, got ${v}`);
  }
}

/** The four hash lanes of rngFor (module scratch: rngFor is synchronous and calls nothing back). */
const lanes = new Int32Array(4);

/** Every lane absorbs the word w: h ← fmix32(h ⊕ w). */
function absorb(w: number): void {
  lanes[0] = fmix32(lanes[0] ^ w);
  lanes[1] = fmix32(lanes[1] ^ w);
  lanes[2] = fmix32(lanes[2] ^ w);
  lanes[3] = fmix32(lanes[3] ^ w);
}

/**
 * The generator for (seed, ...path): seed is an integer in [0, 2^53); path entries (run index,
 * purpose, ...) are integers of either sign up to 2^53 in magnitude.
 *
 * Seeding hashes the words [path length, seed lo, seed hi, path[0] lo, path[0] hi, ...] into four
 * independent 32-bit lanes (the 128-bit xoshiro state). Each lane absorbs a word as
 * h ← fmix32(h ⊕ w): a bijection in w for fixed h and in h for fixed w, so two inputs of the same
 * length that differ in a single word (neighbouring seeds or run indices, the common case) can
 * never give the same lane, and otherwise the four lanes collide together with probability ~2^-128
 * (a 32-bit key alone would repeat once in ~10^5 runs of a bank of 10^6). The avalanche of fmix32
 * makes neighbouring inputs give unrelated states, so their streams are independent in practice.
 */
export function rngFor(seed: number, ...path: number[]): Xoshiro128ss {
  checkInteger('seed', seed, false);
  // Lane initial values: hex digits of π (nothing up the sleeve); distinct so the lanes are distinct functions.
  lanes[0] = 0x243f6a88;
  lanes[1] = 0x85a308d3;
  lanes[2] = 0x13198a2e;
  lanes[3] = 0x03707344;
  // Length first so that (s) and (s, 0) differ.
  absorb(path.length);
  // An integer x with |x| < 2^53 splits exactly into x = hi·2^32 + lo with lo in [0, 2^32).
  absorb(seed >>> 0);
  absorb(Math.floor(seed / TWO_POW_32) | 0);
  for (let i = 0; i < path.length; i++) {
    const p = path[i];
    checkInteger(i, p, true);
    const hi = Math.floor(p / TWO_POW_32);
    absorb((p - hi * TWO_POW_32) >>> 0);
    absorb(hi | 0);
  }
  // Cross-lane Feistel round: each step is invertible, so the whole 128-bit map stays a bijection
  // (distinct lanes → distinct states) while every word comes to depend on all four lanes.
  let h0 = lanes[0] >>> 0, h1 = lanes[1] >>> 0, h2 = lanes[2] >>> 0, h3 = lanes[3] >>> 0;
  h1 ^= fmix32(h0);
  h2 ^= fmix32(h1);
  h3 ^= fmix32(h2);
  h0 ^= fmix32(h3);
  return new Xoshiro128ss(h0, h1, h2, h3);
}
