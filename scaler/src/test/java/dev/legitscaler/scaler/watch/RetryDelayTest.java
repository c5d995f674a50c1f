package dev.legitscaler.scaler.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The backoff of a refresh whose permit was taken: doubling from 5 ms, all of it within half the interval. */
class RetryDelayTest {
  @ParameterizedTest(name = "retry {0} at interval {1} ms -> {2} ms")
  @CsvSource({
      // retry, interval ms, delay ms (-1: give up for this interval)
      "0, 5000, 5",
      "1, 5000, 10",
      "6, 5000, 320",
      "7, 5000, 640",     // 5 + 10 + ... + 640 = 1275 ms waited, under 2500
      "8, 5000, -1",      // 2555 ms waited would exceed half of 5000
      "8, 5110, 1280",    // 2555 ms is exactly half
      "8, 5109, -1",
      "10, 30000, 5120",  // 10235 ms waited, under 15000
      "11, 30000, -1",    // 20475 ms would exceed it
      "0, 9, -1",         // an interval below 10 ms has no room for a retry
      "0, 10, 5",
      "-1, 5000, -1",
      "31, 2147483647, -1",
  })
  void delays(int retry, long intervalMillis, long expected) {
    assertThat(Watch.retryDelayMillis(retry, Duration.ofMillis(intervalMillis))).isEqualTo(expected);
  }
}
