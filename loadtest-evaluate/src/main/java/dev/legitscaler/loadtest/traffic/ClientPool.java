package dev.legitscaler.loadtest.traffic;

import dev.legitscaler.loadtest.scenario.RateDistribution;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fixed, ordered pool of client identities with per-client relative rates. The active clients at any
 * instant are a prefix of the pool, so growth brings in more clients at their normal rates.
 */
final class ClientPool {

  private final String[] ids;
  /** prefix[i] = sum of the relative rates of clients 0..i-1. */
  private final double[] prefix;

  ClientPool(long seed, long poolTag, int size, RateDistribution distribution, AddressSpace addresses) {
    ids = new String[size];
    prefix = new double[size + 1];
    for (int i = 0; i < size; i++) {
      long h = Mixing.mix(seed, poolTag, i);
      ids[i] = addresses.address(h);
      double weight = distribution.relativeRate(Mixing.unit(Mixing.mix(h)), Mixing.gaussian(Mixing.mix(h + 1),
          Mixing.mix(h + 2)));
      prefix[i + 1] = prefix[i] + weight;
    }
  }

  int size() {
    return ids.length;
  }

  String id(int index) {
    return ids[index];
  }

  /** A client among the first {@code active} ones, chosen in proportion to its relative rate. */
  String pick(int active, SplittableRandom random) {
    int n = Math.max(1, Math.min(active, ids.length));
    double target = random.nextDouble() * prefix[n];
    int i = Arrays.binarySearch(prefix, 0, n + 1, target);
    int index = i >= 0 ? i : -i - 2;
    return ids[Math.max(0, Math.min(index, n - 1))];
  }
}
