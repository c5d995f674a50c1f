package dev.legitscaler.loadtest.alerting;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast scenario time runs against real time ({@code timeScale} 10: ten real-time minutes pass in
 * one wall-clock minute), and the duration arithmetic of alerting/scale-time: Prometheus durations are
 * multiplied by the exact factor 1/timeScale, rounded half up to whole milliseconds (at least 1 ms) and
 * written in compound h/m/s/ms form. Kept exact (a fraction of integers) so Java and the script agree
 * to the millisecond.
 */
public record TimeScale(BigInteger factorNumerator, BigInteger factorDenominator) {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|[ywdhms])");
  private static final Map<String, Long> UNIT_MS = Map.of(
      "y", 365L * 86_400_000L, "w", 7L * 86_400_000L, "d", 86_400_000L,
      "h", 3_600_000L, "m", 60_000L, "s", 1_000L, "ms", 1L);

  public TimeScale {
    if (factorNumerator.signum() <= 0 || factorDenominator.signum() <= 0) {
      throw new IllegalArgumentException("time factor must be positive");
    }
    BigInteger g = factorNumerator.gcd(factorDenominator);
    factorNumerator = factorNumerator.divide(g);
    factorDenominator = factorDenominator.divide(g);
  }

  /** The scale of a run: {@code timeScale} scenario seconds per wall-clock second (1 = real time). */
  public static TimeScale of(double timeScale) {
    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
      throw new IllegalArgumentException("timeScale must be a positive number, got " + timeScale);
    }
    // the decimal the user wrote (10, 2.5), not the binary double: 1/2.5 = 2/5 exactly
    BigDecimal ts = new BigDecimal(Double.toString(timeScale)).stripTrailingZeros();
    BigInteger unscaled = ts.unscaledValue();
    int scale = ts.scale();
    return scale >= 0
        ? new TimeScale(BigInteger.TEN.pow(scale), unscaled)
        : new TimeScale(BigInteger.ONE, unscaled.multiply(BigInteger.TEN.pow(-scale)));
  }

  /** The factor as alerting/scale-time accepts it ({@code 1/10}). */
  public String factorArgument() {
    return factorNumerator + "/" + factorDenominator;
  }

  /** Real-time duration → wall-clock duration, rounded half up to the millisecond, at least 1 ms. */
  public Duration scale(Duration real) {
    return Duration.ofMillis(scaleMillis(real.toMillis()));
  }

  long scaleMillis(long ms) {
    BigInteger num = BigInteger.valueOf(ms).multiply(factorNumerator);
    // round half up: floor((2·num + den) / (2·den))
    BigInteger rounded = num.shiftLeft(1).add(factorDenominator).divide(factorDenominator.shiftLeft(1));
    return Math.max(1L, rounded.longValueExact());
  }

  /** Scales a Prometheus duration string ({@code 5m} → {@code 30s} at factor 1/10). */
  public String scale(String promDuration) {
    return format(scaleMillis(parseMillis(promDuration)));
  }

  public static long parseMillis(String text) {
    Matcher m = PART.matcher(text);
    long total = 0;
    int pos = 0;
    while (m.find()) {
      if (m.start() != pos) {
        throw new IllegalArgumentException("bad duration '" + text + "'");
      }
      total += Long.parseLong(m.group(1)) * UNIT_MS.get(m.group(2));
      pos = m.end();
    }
    if (pos != text.length() || pos == 0) {
      throw new IllegalArgumentException("bad duration '" + text + "'");
    }
    return total;
  }

  /** Compound form with units h, m, s, ms, largest first, zero parts left out ({@code 1m30s}). */
  public static String format(long ms) {
    StringBuilder sb = new StringBuilder();
    for (String unit : new String[] {"h", "m", "s", "ms"}) {
      long u = UNIT_MS.get(unit);
      long n = ms / u;
      ms %= u;
      if (n != 0) {
        sb.append(n).append(unit);
      }
    }
    return sb.length() == 0 ? "0s" : sb.toString();
  }

  public static String format(Duration d) {
    return format(d.toMillis());
  }

  /** The factor as a double, for display. */
  public double factor() {
    return new BigDecimal(factorNumerator).divide(new BigDecimal(factorDenominator), MathContext.DECIMAL64)
        .setScale(9, RoundingMode.HALF_UP).doubleValue();
  }
}
