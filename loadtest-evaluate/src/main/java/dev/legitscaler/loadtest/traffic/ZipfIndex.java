package dev.legitscaler.loadtest.traffic;

import java.util.Arrays;

/** Index in [0, n) drawn by a Zipf law of exponent s (0 = uniform): inverse CDF over a prefix table. */
final class ZipfIndex {

  private final double[] cdf;

  ZipfIndex(int n, double s) {
    cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.pow(i + 1, -s);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
  }

  int size() {
    return cdf.length;
  }

  /** The index for a uniform u in (0, 1). */
  int index(double u) {
    int i = Arrays.binarySearch(cdf, u);
    int index = i >= 0 ? i : -i - 1;
    return Math.min(index, cdf.length - 1);
  }
}
