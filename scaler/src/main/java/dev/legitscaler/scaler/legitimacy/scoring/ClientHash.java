package dev.legitscaler.scaler.legitimacy.scoring;

/**
 * A fixed 64-bit hash of a client identity. Fixed (no per-process seed) so that the same event stream
 * gives the same sketches, samples and scores on every run and every machine.
 */
public final class ClientHash {
  private ClientHash() {}

  /** FNV-1a over the UTF-16 code units, then the SplitMix64 finaliser to spread the bits evenly. */
  public static long of(String clientId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < clientId.length(); i++) {
      h ^= clientId.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
