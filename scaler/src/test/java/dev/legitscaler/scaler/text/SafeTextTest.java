package dev.legitscaler.scaler.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SafeTextTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "plain text|plain text",
      "a\\b|a\\\\b"})
  void printableTextIsKeptAndBackslashesDoubled(String in, String out) {
    assertThat(SafeText.escape(in)).isEqualTo(out);
  }

  @Test
  void controlAndDisguisingCharactersAreEscaped() {
    assertThat(SafeText.escape("ok\nevent=forged level=ERROR")).isEqualTo("ok\\nevent=forged level=ERROR");
    assertThat(SafeText.escape("\r\t\u0000\u001b[31m\u007f\u0085")).isEqualTo("\\r\\t\\u0000\\u001b[31m\\u007f\\u0085");
    assertThat(SafeText.escape("a\u2028b\u202ec\u2066d")).isEqualTo("a\\u2028b\\u202ec\\u2066d");
    assertThat(SafeText.escape("grüße ✓ 日本")).isEqualTo("grüße ✓ 日本");
  }

  @Test
  void longTextIsCutAndSaysHowMuchWasLeftOut() {
    String s = "x".repeat(3_000_000);
    assertThat(SafeText.bounded(s, 200)).hasSize(200 + "...(2999800 more chars)".length())
        .endsWith("...(2999800 more chars)");
    assertThat(SafeText.bounded("short", 200)).isEqualTo("short");
    assertThat(SafeText.bounded(null, 10)).isEmpty();
    // a surrogate pair is never split
    assertThat(SafeText.bounded("ab\uD83D\uDE00cd", 3)).startsWith("ab...");
  }
}
