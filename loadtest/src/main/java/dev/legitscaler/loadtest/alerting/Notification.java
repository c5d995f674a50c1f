package dev.legitscaler.loadtest.alerting;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * One notification Alertmanager delivered to a local sink: one e-mail or one webhook POST, i.e. one
 * notification of one alert group (a group holds one alertname, so the alert name is well defined).
 *
 * @param receiver   the Alertmanager receiver name (sysadmin, oncall-pager, teamlead, ddos)
 * @param channel    how it arrived
 * @param alertname  the group's alert name
 * @param severity   the group's common severity label ("" when the alerts of the group disagree)
 * @param status     firing or resolved, as Alertmanager reports the group
 * @param receivedAt when the sink received it (local clock)
 */
public record Notification(
    String receiver, Channel channel, String alertname, String severity, Status status, Instant receivedAt) {

  /** Delivery channel; serialises as the lower-case word of docs/run-output.md. */
  public enum Channel {
    EMAIL("email"), WEBHOOK("webhook");

    private final String wire;

    Channel(String wire) {
      this.wire = wire;
    }

    @JsonValue
    public String wire() {
      return wire;
    }

    @Override
    public String toString() {
      return wire;
    }
  }

  /** Group status as Alertmanager reports it; serialises as the lower-case word. */
  public enum Status {
    FIRING("firing"), RESOLVED("resolved");

    private final String wire;

    Status(String wire) {
      this.wire = wire;
    }

    @JsonValue
    public String wire() {
      return wire;
    }

    @Override
    public String toString() {
      return wire;
    }

    static Status parse(String s) {
      return "resolved".equalsIgnoreCase(s == null ? "" : s.trim()) ? RESOLVED : FIRING;
    }
  }
}
