package dev.legitscaler.loadtest.hpa;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Kubernetes quantities as milli-units. Upstream's {@code MilliValue()} rounds up what does not fit in
 * milli-units, so parsing does the same; KEDA turns gRPC doubles into quantities with
 * {@code int64(v * 1000)}, which truncates ({@link #fromKedaDouble}).
 */
public final class Quantities {
  private Quantities() {}

  /**
   * Parses a decimal quantity ({@code "8.6"}, {@code "500m"}, {@code "2k"}) into milli-units.
   *
   * @throws IllegalArgumentException naming the accepted form
   */
  public static long parseMilli(String text) {
    return toMilli(parseDecimal(text));
  }

  /**
   * Parses a decimal quantity into its exact value in units.
   *
   * @throws IllegalArgumentException naming the accepted form
   */
  public static BigDecimal parseDecimal(String text) {
    String s = text == null ? "" : text.trim();
    BigDecimal multiplier = BigDecimal.ONE;
    if (!s.isEmpty()) {
      char last = s.charAt(s.length() - 1);
      BigDecimal m = switch (last) {
        case 'm' -> new BigDecimal("0.001");
        case 'k' -> new BigDecimal("1e3");
        case 'M' -> new BigDecimal("1e6");
        case 'G' -> new BigDecimal("1e9");
        case 'T' -> new BigDecimal("1e12");
        default -> null;
      };
      if (m != null) {
        multiplier = m;
        s = s.substring(0, s.length() - 1);
      }
    }
    try {
      return new BigDecimal(s).multiply(multiplier);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a quantity; expected a decimal number, optionally with a suffix m, k, M, G or T (e.g. 8.6, 500m)");
    }
  }

  /** A decimal value in units to milli-units, rounding up like {@code MilliValue()}. */
  public static long toMilli(BigDecimal units) {
    return units.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** KEDA's {@code resource.NewMilliQuantity(int64(value*1000), DecimalSI)}: truncates. */
  public static long fromKedaDouble(double value) {
    return (long) (value * 1000);
  }

  /**
   * Upstream's {@code AsApproximateFloat64()} of the quantity the controller reads back from the API
   * server, which stores the canonical form: trailing zeros removed, exponent lowered to a multiple of 3
   * ({@code 0.05 -> 50m}), so the value is {@code mantissa * 10^exponent} computed in float64. Values
   * finer than nano or beyond int64 take upstream's big-decimal path, approximated here by {@code doubleValue()}.
   */
  public static double approximateFloat64(BigDecimal value) {
    if (value.signum() == 0) {
      return 0.0;
    }
    BigDecimal v = value.stripTrailingZeros();
    int exponent = -v.scale();
    int lower = Math.floorMod(exponent, 3);
    BigInteger mantissa = v.unscaledValue().multiply(BigInteger.TEN.pow(lower));
    exponent -= lower;
    if (exponent < -9 || exponent > 18 || mantissa.bitLength() > 63) {
      return v.doubleValue();
    }
    double base = mantissa.longValueExact();
    if (exponent == 0) {
      return base;
    }
    // Go's math.Pow(10, -k) is the correctly rounded 1/10^k; 10^k itself is exact for k <= 22.
    double pow = Math.pow(10, Math.abs(exponent));
    return exponent > 0 ? base * pow : base * (1.0 / pow);
  }

  /** Milli-units as a plain decimal string ({@code 2867 -> "2.867"}). */
  public static String format(long milli) {
    return BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString();
  }
}
