package dev.legitscaler.loadtest.traffic;

import dev.legitscaler.loadtest.scenario.AttributePool;
import dev.legitscaler.loadtest.scenario.PoolValues;

/**
 * The values of one attribute pool (user agents, paths or TLS fingerprints) and their Zipf weights. The
 * strings are built once, so every event of a value shares one instance (the generator caches their
 * encoding by identity). Value i of a {@code shared} pool is the legitimate pool's value i.
 */
final class AttributeValues {

  enum Kind {
    USER_AGENT, PATH, TLS
  }

  private final String[] values;
  private final ZipfIndex index;
  private final long tag;

  AttributeValues(long seed, Kind kind, AttributePool pool, String ownTag) {
    boolean own = pool.valuesOrDefault() == PoolValues.OWN;
    values = new String[pool.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(seed, kind, i, own ? ownTag : null);
    }
    index = new ZipfIndex(values.length, pool.concentrationOrDefault());
    tag = Mixing.mix(seed, 0xA77L + kind.ordinal(), own ? ownTag.hashCode() : 0);
  }

  /** The value a client always sends (user agent, TLS fingerprint). */
  String forClient(String clientId) {
    return values[index.index(Mixing.unit(Mixing.mix(tag ^ clientId.hashCode())))];
  }

  /** A value drawn for one request (path). */
  String draw(double u) {
    return values[index.index(u)];
  }

  private static String value(long seed, Kind kind, int i, String ownTag) {
    long h = Mixing.mix(seed, 0xA7L + kind.ordinal() + (ownTag == null ? 0 : 97L * ownTag.hashCode()), i);
    String who = ownTag == null ? "" : ownTag + "-";
    return switch (kind) {
      case USER_AGENT -> ownTag == null
          ? "Mozilla/5.0 (client " + i + ") AppleWebKit/537.36 Chrome/" + (100 + (h & 31)) + ".0"
          : "Mozilla/5.0 (compatible; " + who + i + ")";
      case PATH -> "/v1/" + who + "predict/" + Long.toHexString(h & 0xffff);
      case TLS -> String.format("%016x%016x", h, Mixing.mix(h));
    };
  }
}
