package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.Arrays;

/** What one time bucket retains for the evidence dimensions: prefix heavy hitters and fixed histograms. */
final class DimensionBucket {
  static final int PREFIX_SLOTS = 128;
  static final int ATTRIBUTES = 3; // user agent, path, TLS fingerprint
  static final int SEEN_WORDS = 1 << 12; // 2^18 bits, 32 KiB

  final SpaceSaving narrow = new SpaceSaving(PREFIX_SLOTS); // IPv4 /24, IPv6 /48
  final SpaceSaving wide = new SpaceSaving(PREFIX_SLOTS); // IPv4 /16, IPv6 /32
  long addressed;
  long newAddressed; // the addressed records of clients not yet cleared
  // the bucket's distinct clients per /24 (IPv6 /48), all of them and the not-yet-cleared ones: how often
  // two new clients share a network, against how often two clients do (EvidenceDimensions)
  final PrefixCollisions allClients = new PrefixCollisions();
  final PrefixCollisions newClients = new PrefixCollisions();
  // one bit per client hash: which clients were already counted in this bucket (a collision of two
  // hashes drops the second client from both counts alike)
  private final long[] seen = new long[SEEN_WORDS];
  private boolean anySeen;
  final int[][] attributeBins = new int[ATTRIBUTES][DimensionParameters.ATTRIBUTE_BINS];
  final long[] attributeRecords = new long[ATTRIBUTES];
  final int[][] featureBins = new int[DimensionParameters.MAX_FEATURES][DimensionParameters.FEATURE_BINS];
  long featureRecords;
  // the same histograms over the records of clients not yet cleared: a never-seen sub-population whose
  // features depart from the reference is visible here long before it moves the whole window
  final int[][] newFeatureBins = new int[DimensionParameters.MAX_FEATURES][DimensionParameters.FEATURE_BINS];
  long newFeatureRecords;

  /** True the first time the client is seen in this bucket. */
  boolean firstSighting(long clientHash) {
    int bit = (int) (clientHash >>> 46); // top 18 bits
    int word = bit >>> 6;
    long mask = 1L << bit;
    if ((seen[word] & mask) != 0) {
      return false;
    }
    seen[word] |= mask;
    anySeen = true;
    return true;
  }

  void reset() {
    narrow.clear();
    wide.clear();
    addressed = 0;
    newAddressed = 0;
    if (anySeen) {
      Arrays.fill(seen, 0);
      anySeen = false;
    }
    allClients.clear();
    newClients.clear();
    for (int[] a : attributeBins) {
      Arrays.fill(a, 0);
    }
    Arrays.fill(attributeRecords, 0);
    for (int[] f : featureBins) {
      Arrays.fill(f, 0);
    }
    featureRecords = 0;
    for (int[] f : newFeatureBins) {
      Arrays.fill(f, 0);
    }
    newFeatureRecords = 0;
  }

  long retainedBytes() {
    return 64 + narrow.retainedBytes() + wide.retainedBytes() + 2 * PrefixCollisions.retainedBytes()
        + 8L * SEEN_WORDS
        + 4L * ATTRIBUTES * DimensionParameters.ATTRIBUTE_BINS
        + 2 * 4L * DimensionParameters.MAX_FEATURES * DimensionParameters.FEATURE_BINS;
  }
}
