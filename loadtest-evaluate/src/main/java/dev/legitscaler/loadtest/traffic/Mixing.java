package dev.legitscaler.loadtest.traffic;

/**
 * Stateless hashing used to derive every random draw of the traffic model from (seed, what, index), so
 * that any slice of time can be generated independently of the others and in any order.
 */
final class Mixing {

  private Mixing() {}

  /** SplitMix64 finaliser: a bijective, well-mixing 64-bit hash. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long mix(long seed, long a, long b) {
    return mix(mix(mix(seed) ^ a) + 0x9e3779b97f4a7c15L * (b + 1));
  }

  /** A uniform double in (0, 1) from a hash. */
  static double unit(long hash) {
    return ((hash >>> 11) + 0.5) / (double) (1L << 53);
  }

  /** A standard normal from two hashes (Box-Muller). */
  static double gaussian(long h1, long h2) {
    return Math.sqrt(-2 * Math.log(unit(h1))) * Math.cos(2 * Math.PI * unit(h2));
  }

  /**
   * An IPv4 address in public-looking space (first octet 11..223, never 127): client identities double
   * as X-Forwarded-For values and carry nothing that tells legitimate from attack.
   */
  static String ipv4(long hash) {
    int a = 11 + (int) Long.remainderUnsigned(hash, 213);
    if (a == 127) {
      a = 128;
    }
    int b = (int) ((hash >>> 16) & 0xff);
    int c = (int) ((hash >>> 24) & 0xff);
    int d = 1 + (int) Long.remainderUnsigned(hash >>> 32, 254);
    return a + "." + b + "." + c + "." + d;
  }
}
