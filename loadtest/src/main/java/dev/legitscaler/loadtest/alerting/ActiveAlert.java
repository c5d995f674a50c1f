package dev.legitscaler.loadtest.alerting;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Map;

/**
 * An alert as Alertmanager holds it ({@code GET /api/v2/alerts}).
 *
 * @param name     the alertname label
 * @param labels   all labels
 * @param state    active, suppressed (inhibited or silenced) or unprocessed
 * @param startsAt when Prometheus says it started firing
 */
public record ActiveAlert(String name, Map<String, String> labels, State state, Instant startsAt) {

  public ActiveAlert {
    labels = Map.copyOf(labels);
  }

  public String label(String key) {
    return labels.getOrDefault(key, "");
  }

  public enum State {
    ACTIVE("active"), SUPPRESSED("suppressed"), UNPROCESSED("unprocessed");

    private final String wire;

    State(String wire) {
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

    static State parse(String s) {
      for (State st : values()) {
        if (st.wire.equals(s)) {
          return st;
        }
      }
      return UNPROCESSED;
    }
  }
}
