package dev.legitscaler.loadtest.traffic;

import dev.legitscaler.loadtest.scenario.NetworkPool;
import dev.legitscaler.loadtest.scenario.NetworkPool.AddressFamily;

/**
 * Turns a client's hash into its address. Without a network pool every client gets a random public
 * IPv4 address (as many networks as clients); with one, clients are spread over {@code prefixes}
 * networks (IPv4 /24 or IPv6 /48) by a Zipf law, the host part random.
 */
final class AddressSpace {

  private final long seed;
  private final long poolTag;
  private final AddressFamily family;
  private final ZipfIndex networks;

  private AddressSpace(long seed, long poolTag, AddressFamily family, ZipfIndex networks) {
    this.seed = seed;
    this.poolTag = poolTag;
    this.family = family;
    this.networks = networks;
  }

  /** Random public IPv4 addresses, one network each. */
  static AddressSpace random() {
    return new AddressSpace(0, 0, AddressFamily.IPV4, null);
  }

  static AddressSpace of(long seed, long poolTag, NetworkPool pool) {
    if (pool == null) {
      return random();
    }
    return new AddressSpace(seed, poolTag, pool.familyOrDefault(),
        new ZipfIndex(pool.prefixes(), pool.concentrationOrDefault()));
  }

  String address(long clientHash) {
    if (networks == null) {
      return Mixing.ipv4(clientHash);
    }
    int k = networks.index(Mixing.unit(Mixing.mix(clientHash ^ 0x5bd1e995L)));
    long net = Mixing.mix(seed, poolTag, k);
    if (family == AddressFamily.IPV4) {
      String prefix = Mixing.ipv4(net);
      int host = 1 + (int) Long.remainderUnsigned(Mixing.mix(clientHash + 17), 254);
      return prefix.substring(0, prefix.lastIndexOf('.') + 1) + host;
    }
    long host = Mixing.mix(clientHash + 31);
    // 2a00::/12-looking global unicast; the /48 is the first three groups
    return String.format("2a%02x:%x:%x:%x:%x:%x:%x:%x", (int) (net & 0xff), (net >>> 8) & 0xffff,
        (net >>> 24) & 0xffff, (host >>> 48) & 0xffff, (host >>> 32) & 0xffff, (host >>> 16) & 0xffff,
        host & 0xffff, (net >>> 40) & 0xffff);
  }
}
