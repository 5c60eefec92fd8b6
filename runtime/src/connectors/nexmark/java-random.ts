// java.util.Random (a 48-bit linear congruential generator), bit for bit: the Nexmark reference generator
// draws every field from it, so the same seed gives the same sequence of decisions as the Java original.
// The 48-bit state is kept as two 24-bit halves so every product stays exact in a double (< 2^53).

const TWO_24 = 16777216;
const INV_TWO_24 = 1 / TWO_24;
const MUL_HI = 0x5de; // 0x5DEECE66D = MUL_HI * 2^24 + MUL_LO
const MUL_LO = 0xece66d;
const ADDEND = 0xb;

export class JavaRandom {
  #hi = 0;
  #lo = 0;

  constructor(seed = 0) {
    this.setSeed(seed);
  }

  /** Java's setSeed: the seed scrambled with the multiplier; `seed` must be a safe non-negative integer. */
  setSeed(seed: number): this {
    const lo = seed % TWO_24;
    const hi = Math.floor(seed / TWO_24) % TWO_24;
    this.#lo = lo ^ MUL_LO;
    this.#hi = hi ^ MUL_HI;
    return this;
  }

  /** Advances the state (seed = seed × 0x5DEECE66D + 0xB mod 2^48). */
  #step(): void {
    const p = this.#lo * MUL_LO + ADDEND;
    const carry = Math.floor(p * INV_TWO_24);
    const q = this.#hi * MUL_LO + this.#lo * MUL_HI + carry;
    this.#lo = p - carry * TWO_24;
    this.#hi = q - Math.floor(q * INV_TWO_24) * TWO_24;
  }

  /** The top `bits` bits (24..32) of the next state, as Java's protected next(bits) (signed for 32). */
  next(bits: number): number {
    this.#step();
    return (this.#hi * (1 << (bits - 24)) + (this.#lo >>> (48 - bits))) | 0;
  }

  /** Java's nextInt(): 32 random bits, signed. */
  nextIntUnbounded(): number {
    this.#step();
    return (this.#hi << 8) | (this.#lo >>> 16) | 0;
  }

  /** Java's nextInt(bound): uniform in [0, bound), with Java's rejection of the biased tail. */
  nextInt(bound: number): number {
    this.#step();
    let r = (this.#hi << 7) | (this.#lo >>> 17);
    const m = bound - 1;
    if ((bound & m) === 0) return Math.floor((bound * r) / 2147483648);
    for (let u = r; u - (r = u % bound) + m > 2147483647; u = this.next(31));
    return r;
  }

  /** Java's nextDouble(): 53 random bits in [0, 1). */
  nextDouble(): number {
    return (this.next(26) * 134217728 + this.next(27)) / 9007199254740992;
  }
}
