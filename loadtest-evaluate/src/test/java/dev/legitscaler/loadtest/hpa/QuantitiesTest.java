package dev.legitscaler.loadtest.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Quantities as the HPA controller reads them back from the API server. */
class QuantitiesTest {

  /**
   * The API server stores the canonical form (0.009 becomes "9m"), and the controller multiplies the
   * mantissa by float64 10^-3: for 9m that is 0.009000000000000001, not the double nearest 0.009. The
   * expected values are what k8s.io/apimachinery v0.36.3 prints for a JSON round trip of each quantity.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0      | 0.0
      0.1    | 0.1
      0.05   | 0.05
      0.009  | 0.009000000000000001
      0.013  | 0.013000000000000001
      1.5    | 1.5
      2      | 2.0
      0.0001 | 9.999999999999999E-5
      1000   | 1000.0
      """)
  void approximateFloat64(String quantity, double expected) {
    assertThat(Quantities.approximateFloat64(new BigDecimal(quantity))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      200m | 0.2
      0.2  | 0.2
      2k   | 2000
      8.6  | 8.6
      """)
  void parseDecimal(String text, String expected) {
    assertThat(Quantities.parseDecimal(text)).isEqualByComparingTo(new BigDecimal(expected));
  }
}
