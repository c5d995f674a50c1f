package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The evidence dimensions beyond rate and novelty (docs/legitimacy.md §14): network concentration,
 * client attributes, timing regularity and payload drift. Each one compares the window with a baseline
 * learned in calm windows (or, for payloads, a reference the operator gives) and, when the difference is
 * beyond sampling noise, raises its reason code and estimates how much traffic is the cause: the mass
 * the window holds <em>beyond</em> its baseline distribution (a total-variation style excess), which is
 * what a population of bots that differs in that dimension adds.
 *
 * <p>Fixed memory: per bucket two 64-slot prefix sketches and fixed histograms ({@link DimensionBucket});
 * across buckets a fixed table of sampled clients' inter-arrival statistics and fixed baselines. Pure
 * and deterministic like the rest of the scorer: no clock, no randomness (sampling is by hash).
 */
final class EvidenceDimensions {
  private static final int TIMING_SLOTS = 1 << 14;
  private static final int TIMING_PROBES = 8;
  /** One client in 4 (by hash) has its inter-arrival statistics tracked. */
  private static final int TIMING_SAMPLE_SHIFT = 62;
  private static final int MIN_INTERVALS = 4;
  private static final double PERIODIC_CV = 0.25;
  private static final long TIMING_EXPIRY_MILLIS = 120_000;
  private static final int MIN_TIMED_CLIENTS = 20;
  private static final int RESERVOIR = 1024;
  private static final int MIN_DIMENSION_RECORDS = 50;
  /** Pairs of new clients (summed over the window's buckets) before their prefix sharing is judged. */
  private static final double MIN_NEW_PAIRS = 200;
  /** Pairs of clients a baseline of prefix sharing needs before it is used. */
  private static final double MIN_BASE_PAIRS = 1000;
  /**
   * New clients share a prefix this many times more often than clients do, and at least
   * {@link #MIN_NEW_COLLISION_RATE}, before their networks count as concentrated.
   */
  private static final double COLLISION_RISE = 8;
  private static final double MIN_NEW_COLLISION_RATE = 0.002;
  private static final double MIN_NEW_COLLISIONS = 10;
  /**
   * Records of clients not yet cleared before their features are judged on their own: with fewer, a
   * handful of new clients (whose requests are correlated) would be judged as a population.
   */
  private static final int MIN_NEW_FEATURE_RECORDS = 500;

  private final DimensionParameters p;

  // network baselines (share of the window in the busiest prefixes), per level
  private final double[] baseTopShare = new double[2];
  private long networkWindows;
  // how often two distinct clients of a bucket share a /24, learned over all clients: a ratio of two
  // moving averages (collisions, pairs), so that windows with few pairs weigh little
  private double baseCollisions;
  private double basePairs;
  private long collisionWindows;

  // attribute baselines: proportions per hashed bin
  private final double[][] baseAttribute =
      new double[DimensionBucket.ATTRIBUTES][DimensionParameters.ATTRIBUTE_BINS];
  private final long[] attributeWindows = new long[DimensionBucket.ATTRIBUTES];

  // timing: open addressing over sampled clients
  private final long[] tKey = new long[TIMING_SLOTS];
  private final long[] tLast = new long[TIMING_SLOTS];
  private final int[] tCount = new int[TIMING_SLOTS];
  private final double[] tMean = new double[TIMING_SLOTS];
  private final double[] tM2 = new double[TIMING_SLOTS];
  private double basePeriodicShare;
  private long timingWindows;

  // payload: decile edges per feature (given or learned from the first values), reservoir until then
  private double[][] edges;
  private int features;
  private double[][] reservoir;
  private int reservoirSize;

  EvidenceDimensions(DimensionParameters parameters) {
    this.p = parameters;
    if (p.payloadReference().isPresent()) {
      double[][] given = p.payloadReference().get();
      features = Math.min(given.length, DimensionParameters.MAX_FEATURES);
      edges = Arrays.copyOf(given, features);
    }
  }

  DimensionParameters parameters() {
    return p;
  }

  // ---------------------------------------------------------------- per record

  void observe(long clientHash, String clientId, long tMillis, boolean uncleared, RequestAttributes a,
      DimensionBucket b) {
    if (p.network()) {
      String address = a.address() != null ? a.address() : clientId;
      long narrow = prefixKey(address, false);
      if (narrow != 0) {
        b.narrow.offer(narrow, null);
        b.wide.offer(prefixKey(address, true), null);
        b.addressed++;
        if (uncleared) {
          b.newAddressed++;
        }
        if (b.firstSighting(clientHash)) {
          b.allClients.add(narrow);
          if (uncleared) {
            b.newClients.add(narrow);
          }
        }
      }
    }
    if (p.attributes()) {
      attribute(b, 0, a.userAgent());
      attribute(b, 1, a.path());
      attribute(b, 2, a.tlsFingerprint());
    }
    if (p.timing() && (clientHash >>> TIMING_SAMPLE_SHIFT) == 0) {
      timing(clientHash, tMillis);
    }
    if (p.payload() && a.features() != null) {
      features(a.features(), uncleared, b);
    }
  }

  private static void attribute(DimensionBucket b, int which, String value) {
    if (value != null) {
      int bin = (int) Long.remainderUnsigned(ClientHash.mix(value.hashCode()), DimensionParameters.ATTRIBUTE_BINS);
      b.attributeBins[which][bin]++;
      b.attributeRecords[which]++;
    }
  }

  private void timing(long key, long t) {
    long k = LongIntMap.nonZero(key);
    int slot = (int) (ClientHash.mix(k) & (TIMING_SLOTS - 1));
    int free = -1;
    for (int i = 0; i < TIMING_PROBES; i++) {
      int s = (slot + i) & (TIMING_SLOTS - 1);
      if (tKey[s] == k) {
        long dt = t - tLast[s];
        if (dt < 0) {
          return;
        }
        if (dt > TIMING_EXPIRY_MILLIS) {
          tCount[s] = 0;
          tMean[s] = 0;
          tM2[s] = 0;
        } else {
          int n = ++tCount[s];
          double delta = dt - tMean[s];
          tMean[s] += delta / n;
          tM2[s] += delta * (dt - tMean[s]);
        }
        tLast[s] = t;
        return;
      }
      if (free < 0 && (tKey[s] == 0 || t - tLast[s] > TIMING_EXPIRY_MILLIS)) {
        free = s;
      }
    }
    if (free >= 0) {
      tKey[free] = k;
      tLast[free] = t;
      tCount[free] = 0;
      tMean[free] = 0;
      tM2[free] = 0;
    }
  }

  private void features(double[] x, boolean uncleared, DimensionBucket b) {
    if (edges == null) {
      if (reservoir == null) {
        features = Math.min(x.length, DimensionParameters.MAX_FEATURES);
        reservoir = new double[features][RESERVOIR];
      }
      if (x.length < features) {
        return;
      }
      for (int f = 0; f < features; f++) {
        reservoir[f][reservoirSize] = x[f];
      }
      if (++reservoirSize == RESERVOIR) {
        edges = new double[features][];
        for (int f = 0; f < features; f++) {
          double[] v = reservoir[f];
          Arrays.sort(v);
          double[] e = new double[DimensionParameters.FEATURE_BINS - 1];
          for (int q = 1; q < DimensionParameters.FEATURE_BINS; q++) {
            e[q - 1] = v[q * RESERVOIR / DimensionParameters.FEATURE_BINS];
          }
          edges[f] = e;
        }
        reservoir = null;
      }
      return;
    }
    if (x.length < features) {
      return;
    }
    for (int f = 0; f < features; f++) {
      double[] e = edges[f];
      double v = x[f];
      // the bin is the number of edges at or below the value: nine comparisons without branches to
      // mispredict cost less than a binary search over them (this runs for every feature of every record)
      int bin = 0;
      for (double edge : e) {
        bin += v >= edge ? 1 : 0;
      }
      bin = Math.min(bin, DimensionParameters.FEATURE_BINS - 1); // an operator's reference may give more edges
      b.featureBins[f][bin]++;
      if (uncleared) {
        b.newFeatureBins[f][bin]++;
      }
    }
    b.featureRecords++;
    if (uncleared) {
      b.newFeatureRecords++;
    }
  }

  /**
   * A hash of the address's network prefix: IPv4 /24 ({@code wide}: /16), IPv6 /48 ({@code wide}: /32),
   * or 0 when the text is not an address. Computed over the characters, no allocation.
   */
  static long prefixKey(String s, boolean wide) {
    int n = s.length();
    if (n < 3) {
      return 0;
    }
    boolean v6 = s.indexOf(':') >= 0;
    char sep = v6 ? ':' : '.';
    int groups = v6 ? (wide ? 2 : 3) : (wide ? 2 : 3);
    int seen = 0;
    long h = v6 ? 0x6a09e667f3bcc909L : 0xcbf29ce484222325L;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == sep) {
        if (++seen == groups) {
          return LongIntMap.nonZero(ClientHash.mix(h ^ (wide ? 0x16 : 0x24)));
        }
      } else if (!(c >= '0' && c <= '9' || v6 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'))) {
        return 0;
      }
      h ^= c;
      h *= 0x100000001b3L;
    }
    return 0;
  }

  // ---------------------------------------------------------------- per window

  /** What the dimensions say about one window. */
  record Result(Set<Reason> reasons, Map<String, Double> signals, double suspect, double[] topShare,
      PrefixSharing prefixSharing, double[][] attributeShares, double periodicShare, boolean timed) {}

  Result evaluate(List<DimensionBucket> buckets, long total, long windowStartMillis, boolean learned) {
    EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
    Map<String, Double> signals = new HashMap<>();
    double suspect = 0;
    double[] topShare = {Double.NaN, Double.NaN};
    PrefixSharing sharing = null;
    if (p.network()) {
      long addressed = 0;
      for (DimensionBucket b : buckets) {
        addressed += b.addressed;
      }
      if (addressed >= MIN_DIMENSION_RECORDS && addressed * 2 >= total) {
        String[] names = {"network_top_share_24", "network_top_share_16"};
        boolean raised = false;
        for (int level = 0; level < 2; level++) {
          topShare[level] = topShare(buckets, level == 1, addressed);
          signals.put(names[level], topShare[level]);
          if (networkWindows > 0) {
            signals.put(names[level] + "_baseline", baseTopShare[level]);
            double rise = topShare[level] - baseTopShare[level];
            if (learned && rise >= p.networkShift()) {
              raised = true;
              // bots all in the top prefixes, the rest keeping its usual share b there: topShare = (B + b (T - B)) / T
              suspect = Math.max(suspect, rise / (1 - baseTopShare[level]) * addressed);
            }
          }
        }
        sharing = PrefixSharing.of(buckets);
        if (sharing.newPairs() >= MIN_NEW_PAIRS) {
          signals.put("network_new_sharing_24", sharing.newCollisions() / sharing.newPairs());
        }
        if (collisionWindows > 0 && basePairs >= MIN_BASE_PAIRS) {
          double q0 = baseCollisions / basePairs;
          signals.put("network_new_sharing_24_baseline", q0);
          if (learned && concentratedNewClients(sharing.newCollisions(), sharing.newPairs(), q0)) {
            raised = true;
            suspect = Math.max(suspect, concentratedTraffic(buckets, q0));
          }
        }
        if (raised) {
          reasons.add(Reason.NETWORK_CONCENTRATION);
        }
      }
    }
    double[][] attributeShares = new double[DimensionBucket.ATTRIBUTES][];
    if (p.attributes()) {
      String[] names = {"user_agent_shift", "path_shift", "tls_shift"};
      for (int which = 0; which < DimensionBucket.ATTRIBUTES; which++) {
        long n = 0;
        long[] bins = new long[DimensionParameters.ATTRIBUTE_BINS];
        for (DimensionBucket b : buckets) {
          n += b.attributeRecords[which];
          for (int i = 0; i < bins.length; i++) {
            bins[i] += b.attributeBins[which][i];
          }
        }
        if (n < MIN_DIMENSION_RECORDS) {
          continue;
        }
        double[] share = new double[bins.length];
        for (int i = 0; i < bins.length; i++) {
          share[i] = bins[i] / (double) n;
        }
        attributeShares[which] = share;
        if (attributeWindows[which] == 0) {
          continue;
        }
        double tv = 0;
        int used = 0;
        for (int i = 0; i < bins.length; i++) {
          tv += Math.abs(share[i] - baseAttribute[which][i]);
          if (baseAttribute[which][i] > 0 || share[i] > 0) {
            used++;
          }
        }
        tv /= 2;
        // expected distance from sampling alone is at most 0.4 sqrt(bins / n); allow twice that
        double noise = 0.8 * Math.sqrt(used / (double) n);
        double excess = Math.max(0, tv - noise);
        signals.put(names[which], tv);
        if (learned && excess >= p.attributeShift()) {
          reasons.add(Reason.ATTRIBUTE_SHIFT);
          suspect = Math.max(suspect, excess * n);
        }
      }
    }
    double periodicShare = Double.NaN;
    boolean timed = false;
    if (p.timing()) {
      double all = 0;
      double periodic = 0;
      int clients = 0;
      for (int s = 0; s < TIMING_SLOTS; s++) {
        if (tKey[s] != 0 && tLast[s] >= windowStartMillis && tCount[s] >= MIN_INTERVALS && tMean[s] > 0) {
          double rate = 1 / tMean[s];
          double cv = Math.sqrt(tM2[s] / tCount[s]) / tMean[s];
          all += rate;
          clients++;
          if (cv < PERIODIC_CV) {
            periodic += rate;
          }
        }
      }
      if (clients >= MIN_TIMED_CLIENTS) {
        timed = true;
        periodicShare = periodic / all;
        signals.put("periodic_share", periodicShare);
        if (timingWindows > 0) {
          signals.put("periodic_share_baseline", basePeriodicShare);
          double rise = periodicShare - basePeriodicShare;
          if (learned && rise >= p.periodicShift()) {
            reasons.add(Reason.PERIODIC_CLIENTS);
            suspect = Math.max(suspect, rise / (1 - basePeriodicShare) * total);
          }
        }
      }
    }
    if (p.payload() && edges != null) {
      int bins = DimensionParameters.FEATURE_BINS;
      long n = 0;
      long nNew = 0;
      long[][] all = new long[features][bins];
      long[][] fresh = new long[features][bins];
      for (DimensionBucket b : buckets) {
        n += b.featureRecords;
        nNew += b.newFeatureRecords;
        for (int f = 0; f < features; f++) {
          for (int bin = 0; bin < bins; bin++) {
            all[f][bin] += b.featureBins[f][bin];
            fresh[f][bin] += b.newFeatureBins[f][bin];
          }
        }
      }
      if (n >= MIN_DIMENSION_RECORDS) {
        double worstPsi = 0;
        double worstTv = 0;
        int worst = 0;
        for (int f = 0; f < features; f++) {
          double psi = psi(all[f], n);
          if (psi > worstPsi) {
            worstPsi = psi;
            worst = f;
          }
          worstTv = Math.max(worstTv, tv(all[f], n));
        }
        signals.put("payload_psi", worstPsi);
        signals.put("payload_psi_feature", (double) worst);
        if (driftsBeyondSampling(worstPsi, bins, n)) {
          reasons.add(Reason.PAYLOAD_DRIFT);
          suspect = Math.max(suspect, worstTv * n);
        }
        // The never-seen clients on their own: bots that shift the features make up most of the new-client
        // traffic, so their drift shows at full strength there while it is diluted by the known population
        // in the whole window (a half-and-half window of a shift the new clients show at PSI > 1 stays
        // under the window threshold). A crowd of strangers sends the reference's features: its new-client
        // PSI is sampling noise, which the same allowance as above removes.
        if (nNew >= MIN_NEW_FEATURE_RECORDS) {
          double worstNewPsi = 0;
          for (int f = 0; f < features; f++) {
            worstNewPsi = Math.max(worstNewPsi, psi(fresh[f], nNew));
          }
          signals.put("payload_psi_new_clients", worstNewPsi);
          if (learned && driftsBeyondSampling(worstNewPsi, bins, nNew)) {
            reasons.add(Reason.PAYLOAD_DRIFT);
            // it sizes the clients already cleared (or known) that send the same features too
            suspect = Math.max(suspect, mixingWeight(all, n, fresh, nNew) * n);
          }
        }
      }
    }
    return new Result(reasons, signals, Math.min(suspect, total), topShare, sharing, attributeShares,
        periodicShare, timed);
  }

  /** Population stability index of a histogram against the reference's equal bins. */
  private static double psi(long[] counts, long n) {
    double expected = 1.0 / counts.length;
    double psi = 0;
    for (long c : counts) {
      // a floor of half a record keeps empty bins finite (the usual PSI smoothing)
      double q = Math.max(c, 0.5) / n;
      psi += (q - expected) * Math.log(q / expected);
    }
    return psi;
  }

  /** Sampling alone gives a PSI of about (bins - 1) / n: a drift counts only this far above that. */
  private boolean driftsBeyondSampling(double psi, int bins, long n) {
    return psi - 3.0 * (bins - 1) / n >= p.payloadPsi();
  }

  /**
   * How much of the whole window has the new clients' shape: the window's histogram {@code w} is the
   * reference {@code r} (equal bins) mixed with the new clients' {@code s}, w - r = m (s - r); least
   * squares over every feature's bins gives m, clamped to [0, 1].
   */
  static double mixingWeight(long[][] all, long n, long[][] fresh, long nNew) {
    double dot = 0;
    double norm = 0;
    for (int f = 0; f < all.length; f++) {
      double expected = 1.0 / all[f].length;
      for (int bin = 0; bin < all[f].length; bin++) {
        double shape = fresh[f][bin] / (double) nNew - expected;
        dot += (all[f][bin] / (double) n - expected) * shape;
        norm += shape * shape;
      }
    }
    return norm > 0 ? Math.max(0, Math.min(1, dot / norm)) : 0;
  }

  /** Total-variation distance of a histogram to the reference's equal bins. */
  private static double tv(long[] counts, long n) {
    double expected = 1.0 / counts.length;
    double tv = 0;
    for (long c : counts) {
      tv += Math.abs(c / (double) n - expected);
    }
    return tv / 2;
  }

  /**
   * Prefix sharing over the window's buckets, each bucket's distinct clients on their own (a client seen
   * in two buckets is counted in both, alike for all and new clients).
   */
  record PrefixSharing(double allPairs, double allCollisions, double newPairs, double newCollisions) {
    static PrefixSharing of(List<DimensionBucket> buckets) {
      double allPairs = 0;
      double allCollisions = 0;
      double newPairs = 0;
      double newCollisions = 0;
      for (DimensionBucket b : buckets) {
        allPairs += b.allClients.pairs();
        allCollisions += b.allClients.collisions();
        newPairs += b.newClients.pairs();
        newCollisions += b.newClients.collisions();
      }
      return new PrefixSharing(allPairs, allCollisions, newPairs, newCollisions);
    }
  }

  /**
   * The new clients share networks far more often than the population's clients do: a botnet rented
   * from a few networks, however ordinary each bot's rate, while a crowd of strangers from the usual
   * spread of networks shares them as often as everyone does. Beyond sampling noise too: the collision
   * count is about Poisson with the mean the baseline predicts.
   */
  static boolean concentratedNewClients(double collisions, double pairs, double q0) {
    if (pairs < MIN_NEW_PAIRS || collisions < MIN_NEW_COLLISIONS) {
      return false;
    }
    double expected = q0 * pairs;
    return collisions / pairs >= Math.max(COLLISION_RISE * q0, MIN_NEW_COLLISION_RATE)
        && collisions >= expected + 4 * Math.sqrt(expected + 1);
  }

  /**
   * The traffic of the prefixes that hold more new clients than the population's sharing explains (at
   * least 3, and {@code COLLISION_RISE} times the {@code q0 × M} a typical prefix would get), the larger
   * of two estimates per bucket: all their records where the prefix sketch holds them (the new bots and
   * also the bots there behind identities already cleared), or the new clients' records in the
   * proportion of new clients those prefixes hold (a botnet spread over more prefixes than the sketch
   * keeps). A sampled bucket's prefixes stand for 2<sup>level</sup> each.
   */
  private static double concentratedTraffic(List<DimensionBucket> buckets, double q0) {
    double traffic = 0;
    for (DimensionBucket b : buckets) {
      PrefixCollisions c = b.newClients;
      if (c.clients() == 0) {
        continue;
      }
      double threshold = Math.max(3, COLLISION_RISE * q0 * c.clients());
      double records = 0;
      double clients = 0;
      for (int i = 0; i < c.tableLength(); i++) {
        if (c.key(i) != 0 && c.count(i) >= threshold) {
          clients += c.count(i);
          int slot = b.narrow.slotOf(c.key(i));
          if (slot >= 0) {
            records += b.narrow.count(slot) - b.narrow.error(slot);
          }
        }
      }
      double bySketch = records * c.weight();
      double byNewClients = Math.min(1, clients * c.weight() / c.clients()) * b.newAddressed;
      traffic += Math.min(b.addressed, Math.max(bySketch, byNewClients));
    }
    return traffic;
  }

  private double topShare(List<DimensionBucket> buckets, boolean wide, long addressed) {
    Map<Long, long[]> merged = new HashMap<>();
    for (DimensionBucket b : buckets) {
      SpaceSaving ss = wide ? b.wide : b.narrow;
      for (int s = 0; s < ss.size(); s++) {
        long g = ss.count(s) - ss.error(s);
        if (g > 0) {
          merged.computeIfAbsent(ss.key(s), k -> new long[1])[0] += g;
        }
      }
    }
    List<Long> counts = new ArrayList<>(merged.size());
    for (long[] c : merged.values()) {
      counts.add(c[0]);
    }
    counts.sort((x, y) -> Long.compare(y, x));
    return counts.stream().limit(p.topPrefixes()).mapToLong(Long::longValue).sum() / (double) addressed;
  }

  /** Calm windows teach the baselines, {@code alpha} being the scorer's (slower while traffic surges). */
  void learn(Result r, double alpha) {
    if (!Double.isNaN(r.topShare()[0])) {
      double a = Math.max(alpha, 1.0 / (networkWindows + 1));
      for (int level = 0; level < 2; level++) {
        baseTopShare[level] += a * (r.topShare()[level] - baseTopShare[level]);
      }
      networkWindows++;
    }
    PrefixSharing sharing = r.prefixSharing();
    if (sharing != null && sharing.allPairs() > 0) {
      double a = Math.max(alpha, 1.0 / (collisionWindows + 1));
      basePairs += a * (sharing.allPairs() - basePairs);
      baseCollisions += a * (sharing.allCollisions() - baseCollisions);
      collisionWindows++;
    }
    for (int which = 0; which < DimensionBucket.ATTRIBUTES; which++) {
      double[] share = r.attributeShares()[which];
      if (share == null) {
        continue;
      }
      double a = Math.max(alpha, 1.0 / (attributeWindows[which] + 1));
      for (int i = 0; i < share.length; i++) {
        baseAttribute[which][i] += a * (share[i] - baseAttribute[which][i]);
      }
      attributeWindows[which]++;
    }
    if (r.timed()) {
      double a = Math.max(alpha, 1.0 / (timingWindows + 1));
      basePeriodicShare += a * (r.periodicShare() - basePeriodicShare);
      timingWindows++;
    }
  }

  /** The fixed arrays (timing slots, attribute and feature baselines, the payload reservoir). */
  static final long FIXED_BYTES = TIMING_SLOTS * (8L + 8 + 4 + 8 + 8)
      + 8L * DimensionBucket.ATTRIBUTES * DimensionParameters.ATTRIBUTE_BINS
      + 8L * DimensionParameters.MAX_FEATURES * (RESERVOIR + DimensionParameters.FEATURE_BINS);

  long retainedBytes() {
    return FIXED_BYTES;
  }
}
