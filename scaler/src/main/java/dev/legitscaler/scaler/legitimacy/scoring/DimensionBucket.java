package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.Arrays;

/** What one time bucket retains for the evidence dimensions: prefix heavy hitters and fixed histograms. */
final class DimensionBucket {
  static final int PREFIX_SLOTS = 128;
  static final int ATTRIBUTES = 3; // user agent, path, TLS fingerprint

  final SpaceSaving narrow = new SpaceSaving(PREFIX_SLOTS); // IPv4 /24, IPv6 /48
  final SpaceSaving wide = new SpaceSaving(PREFIX_SLOTS); // IPv4 /16, IPv6 /32
  long addressed;
  final int[][] attributeBins = new int[ATTRIBUTES][DimensionParameters.ATTRIBUTE_BINS];
  final long[] attributeRecords = new long[ATTRIBUTES];
  final int[][] featureBins = new int[DimensionParameters.MAX_FEATURES][DimensionParameters.FEATURE_BINS];
  long featureRecords;
  // the same histograms over the records of clients not yet cleared: a never-seen sub-population whose
  // features depart from the reference is visible here long before it moves the whole window
  final int[][] newFeatureBins = new int[DimensionParameters.MAX_FEATURES][DimensionParameters.FEATURE_BINS];
  long newFeatureRecords;

  void reset() {
    narrow.clear();
    wide.clear();
    addressed = 0;
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
    return 64 + narrow.retainedBytes() + wide.retainedBytes()
        + 4L * ATTRIBUTES * DimensionParameters.ATTRIBUTE_BINS
        + 2 * 4L * DimensionParameters.MAX_FEATURES * DimensionParameters.FEATURE_BINS;
  }
}
