package dev.legitscaler.scaler.legitimacy.scoring;

/**
 * Slow exponentially weighted baselines of the window statistics, learned only from calm windows so
 * an attack cannot teach the scorer that it is normal. The first windows are averaged (weight 1/n)
 * so that the baseline is usable right after warm-up.
 */
final class Baseline {
  double totalPerWindow;
  double medianCount;
  double madCount;
  double meanCount;
  double entropy;
  double invalidShare;
  double newShare;
  long windows;
  long newShareWindows;

  boolean ready() {
    return windows > 0;
  }

  void learn(double alpha, double total, double median, double mad, double mean, double entropyNow,
      double invalid) {
    double a = Math.max(alpha, 1.0 / (windows + 1));
    totalPerWindow = ewma(totalPerWindow, total, a);
    medianCount = ewma(medianCount, median, a);
    madCount = ewma(madCount, mad, a);
    meanCount = ewma(meanCount, mean, a);
    if (!Double.isNaN(entropyNow)) {
      entropy = ewma(entropy, entropyNow, a);
    }
    invalidShare = ewma(invalidShare, invalid, a);
    windows++;
  }

  /** The new-client share is meaningless while nobody is known yet: learned only after warm-up. */
  void learnNewShare(double alpha, double share) {
    double a = Math.max(alpha, 1.0 / (newShareWindows + 1));
    newShare = ewma(newShare, share, a);
    newShareWindows++;
  }

  private static double ewma(double old, double value, double a) {
    return old + a * (value - old);
  }
}
