/**
 * Counter-based randomness for the sim price sources: every draw is a hash of (seed, stream, index,
 * sub), so any trade or price can be computed on its own, in any order, in any process, and comes
 * out the same. Pure: no Math.random, no state.
 */

/** 32-bit finalizer (murmur3's fmix32): spreads every input bit over the output. */
export function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** An unsigned 32-bit draw for (seed, stream, index, sub); `index` may exceed 2^32. */
export function hash(seed: number, stream: number, index: number, sub: number): number {
  let h = mix(seed ^ Math.imul(stream, 0x27d4eb2d));
  h = mix(h ^ (index >>> 0));
  h = mix(h ^ Math.floor(index / 4_294_967_296));
  return mix(h ^ Math.imul(sub + 1, 0x165667b1));
}

/** A hash as a uniform number in (0, 1), never 0 (safe under log). */
export const unit = (h: number): number => (h + 0.5) / 4_294_967_296;

/** A standard normal draw from two uniforms (Box–Muller). */
export const normal = (u1: number, u2: number): number => Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);

/** FNV-1a of a string: folds a market symbol into its seed. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
