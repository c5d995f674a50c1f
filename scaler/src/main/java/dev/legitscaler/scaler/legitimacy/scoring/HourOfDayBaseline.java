package dev.legitscaler.scaler.legitimacy.scoring;

/**
 * The long baseline: what the traffic usually is at this time of day. 24 slots, one per hour of the
 * (UTC) day, each an EWMA of the window rate and of the per-client median, learned from the calm
 * windows that close in that hour and decaying over days (a half-life of {@link #HALF_LIFE_DAYS} days of
 * that hour's windows). Fixed memory: {@link #BYTES}.
 *
 * <p>The 10-minute baseline follows anything slower than a few minutes, a diurnal swing and a slow ramp
 * of bots alike; this one tells them apart: a diurnal swing is in yesterday's profile for this hour, a
 * ramp is not. A slot counts only once it has half an hour of calm windows, first learned on an earlier
 * day, so on the first day (and for an hour never seen calm) the scorer judges against the short
 * baseline alone. The hour comes from the window's own timestamps (the scorer has no clock of its own:
 * the event times and the time given to {@code score}, i.e. the injected clock or the scenario's time).
 * The slots are UTC hours; a time zone would only rename them, since each slot is learned.
 */
final class HourOfDayBaseline {
  static final int SLOTS = 24;
  /** Half-life of a slot, in days of that hour's windows: a week, as the long baselines users compare with. */
  static final double HALF_LIFE_DAYS = 7;
  /** Bytes of the slots: 2 doubles and 2 longs each, plus the arrays' headers. */
  static final long BYTES = SLOTS * (8L * 4) + 4 * 16;

  private static final long HOUR_MILLIS = 3_600_000L;
  private static final long DAY_MILLIS = 24 * HOUR_MILLIS;

  private final double[] totalPerWindow = new double[SLOTS];
  private final double[] medianCount = new double[SLOTS];
  private final long[] windows = new long[SLOTS];
  private final long[] firstDay = new long[SLOTS];
  private final double alpha;
  private final long minWindows;

  /** @param bucketMillis one window is learned per closed bucket */
  HourOfDayBaseline(long bucketMillis) {
    double windowsPerHour = HOUR_MILLIS / (double) Math.max(1, bucketMillis);
    this.alpha = 1 - Math.pow(0.5, 1 / (HALF_LIFE_DAYS * windowsPerHour));
    this.minWindows = Math.max(1, (long) (windowsPerHour / 2));
    java.util.Arrays.fill(firstDay, Long.MIN_VALUE);
  }

  static int slot(long millis) {
    return (int) Math.floorMod(Math.floorDiv(millis, HOUR_MILLIS), (long) SLOTS);
  }

  static long day(long millis) {
    return Math.floorDiv(millis, DAY_MILLIS);
  }

  /** True when the slot of {@code millis} has enough history from an earlier day to judge against. */
  boolean ready(long millis) {
    int s = slot(millis);
    return windows[s] >= minWindows && firstDay[s] != Long.MIN_VALUE && day(millis) > firstDay[s];
  }

  /** Usual records per window at this hour (meaningful once {@link #ready}). */
  double totalPerWindow(long millis) {
    return totalPerWindow[slot(millis)];
  }

  /** Usual per-client median count per window at this hour (meaningful once {@link #ready}). */
  double medianCount(long millis) {
    return medianCount[slot(millis)];
  }

  /** Days since the slot of {@code millis} was first learned (0 on its first day, -1 never learned). */
  long historyDays(long millis) {
    int s = slot(millis);
    return firstDay[s] == Long.MIN_VALUE ? -1 : day(millis) - firstDay[s];
  }

  /** How a calm window surged, which sets how much it teaches. */
  enum Surge {
    /** No surge: the first days are a plain average, then the week-long EWMA. */
    NONE,
    /**
     * A surge against this hour's profile only (the short baseline accepted it): the week-long EWMA
     * rate, without the first days' plain average, so a slow ramp barely moves the profile while a
     * lasting new level is learned within days (a profile that learned nothing from it would call it a
     * surge for good).
     */
    HOUR_ONLY,
    /** A surge against the short baseline: ten times less than a calm window. */
    SHORT
  }

  /** One calm window closing at {@code millis}. */
  void learn(long millis, Surge surge, double total, double median) {
    int s = slot(millis);
    if (firstDay[s] == Long.MIN_VALUE) {
      firstDay[s] = day(millis);
    }
    double average = Math.max(alpha, 1.0 / (windows[s] + 1));
    double a = switch (surge) {
      case NONE -> average;
      case HOUR_ONLY -> windows[s] == 0 ? 1 : alpha;
      case SHORT -> average / TrafficScorer.SURGE_LEARNING_SLOWDOWN; // as the short baseline learns then
    };
    totalPerWindow[s] += a * (total - totalPerWindow[s]);
    medianCount[s] += a * (median - medianCount[s]);
    windows[s]++;
  }
}
