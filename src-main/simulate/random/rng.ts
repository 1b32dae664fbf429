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

// Implementation: to be filled in (xoshiro128** seeded by a 32-bit mixing hash of seed and path).
export declare function rngFor(seed: number, ...path: number[]): Rng;
