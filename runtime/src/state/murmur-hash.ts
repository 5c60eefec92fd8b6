// MurmurHash3 (x86, 32-bit) over 16-bit code units or 32-bit words. Deterministic across processes,
// platforms and restarts: key routing and key-group assignment depend on it never changing.

function mixK(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

function mixH(h: number, k: number): number {
  h ^= mixK(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a string's UTF-16 code units, two per 32-bit block. Returns an unsigned 32-bit integer. */
export function murmurHashString(s: string, seed: number): number {
  let h = seed | 0;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mixH(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h ^= mixK(s.charCodeAt(i));
  return finalize(h, n * 2);
}

/** Hashes a sequence of 32-bit words. */
export function murmurHashWords(words: readonly number[], seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < words.length; i++) h = mixH(h, words[i]! | 0);
  return finalize(h, words.length * 4);
}

/** Flink's MathUtils.murmurHash(int): a scrambler for an already computed 32-bit hash code. */
export function murmurHashInt(code: number): number {
  return finalize(mixH(0, code), 4);
}
