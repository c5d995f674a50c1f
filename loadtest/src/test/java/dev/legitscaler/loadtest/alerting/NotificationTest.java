package dev.legitscaler.loadtest.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NotificationTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void scenarioSecondsScaleWallClockTime() {
    Notification n = new Notification("sysadmin", Notification.Channel.EMAIL, "ModelInstanceSaturated", "warning",
        Notification.Status.FIRING, START.plusMillis(31_500));
    assertThat(n.scenarioSeconds(START, 10)).isEqualTo(315.0);
    assertThat(n.scenarioSeconds(START, 1)).isEqualTo(31.5);
  }

  @Test
  void enumsSerialiseAsTheRunOutputWords() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(json.writeValueAsString(Notification.Channel.EMAIL)).isEqualTo("\"email\"");
    assertThat(json.writeValueAsString(Notification.Channel.WEBHOOK)).isEqualTo("\"webhook\"");
    assertThat(json.writeValueAsString(Notification.Status.RESOLVED)).isEqualTo("\"resolved\"");
    assertThat(json.writeValueAsString(ActiveAlert.State.SUPPRESSED)).isEqualTo("\"suppressed\"");
    assertThat(Notification.Status.parse("resolved")).isEqualTo(Notification.Status.RESOLVED);
    assertThat(Notification.Status.parse("firing")).isEqualTo(Notification.Status.FIRING);
  }
}
