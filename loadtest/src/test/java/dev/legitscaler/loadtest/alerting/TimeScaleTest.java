package dev.legitscaler.loadtest.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeScaleTest {

  @Test
  void factorIsTheExactInverse() {
    assertThat(TimeScale.of(10).factorArgument()).isEqualTo("1/10");
    assertThat(TimeScale.of(2.5).factorArgument()).isEqualTo("2/5");
    assertThat(TimeScale.of(1).factorArgument()).isEqualTo("1/1");
    assertThat(TimeScale.of(0.5).factorArgument()).isEqualTo("2/1");
  }

  @Test
  void scalesLikeTheScript() {
    TimeScale ten = TimeScale.of(10);
    assertThat(ten.scale("5m")).isEqualTo("30s");
    assertThat(ten.scale("20m")).isEqualTo("2m");
    assertThat(ten.scale("15m")).isEqualTo("1m30s");
    assertThat(ten.scale("15s")).isEqualTo("1s500ms");
    assertThat(ten.scale("4h")).isEqualTo("24m");
    assertThat(ten.scale("1d")).isEqualTo("2h24m");
    // 1/7 of 1 m = 8571.43 ms; half up at the millisecond, at least 1 ms
    assertThat(TimeScale.of(7).scale("1m")).isEqualTo("8s571ms");
    assertThat(TimeScale.of(7).scale("5ms")).isEqualTo("1ms");
    assertThat(TimeScale.of(10000).scale("1ms")).isEqualTo("1ms");
    assertThat(TimeScale.of(2).scale("1s1ms")).isEqualTo("501ms"); // 500.5 rounds up
    assertThat(ten.scale(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> TimeScale.of(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TimeScale.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TimeScale.parseMillis("5 m")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TimeScale.parseMillis("")).isInstanceOf(IllegalArgumentException.class);
  }
}
