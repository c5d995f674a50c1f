package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * What a scenario run must show. Every field is optional; a missing one is not checked. The scenario
 * runner evaluates them; this module only parses and validates them.
 *
 * @param replicas the replica count must stay within [min, max] during the whole run
 * @param alerts alerts that must fire inside a window, or must not fire at all
 * @param maxWastedReplicaMinutes replica-minutes above what the legitimate traffic needed
 * @param maxLegitimateP95Latency p95 latency of legitimate requests over the run
 * @param attackDetectedWithin time from each attack's start to the scorer declaring it
 * @param recoveredWithin time from each attack's end to the score returning to normal
 * @param maxWastedShareOfNaiveDuringAttack replica-minutes above the need during the first attack, as a
 *     share of what the naive (load-only) policy wasted over the same seconds (0.1 = at most 10 %);
 *     checked by {@code loadtest run}, which has the naive policy from the offline evaluation
 */
public record Expectations(
    @JsonProperty("replicas") ReplicaBounds replicas,
    @JsonProperty("alerts") List<AlertExpectation> alerts,
    @JsonProperty("maxWastedReplicaMinutes") Double maxWastedReplicaMinutes,
    @JsonProperty("maxLegitimateP95Latency") Duration maxLegitimateP95Latency,
    @JsonProperty("attackDetectedWithin") Duration attackDetectedWithin,
    @JsonProperty("recoveredWithin") Duration recoveredWithin,
    @JsonProperty("maxWastedShareOfNaiveDuringAttack") Double maxWastedShareOfNaiveDuringAttack) {

  public Expectations {
    alerts = alerts == null ? List.of() : List.copyOf(alerts);
    if (maxWastedShareOfNaiveDuringAttack != null
        && !(maxWastedShareOfNaiveDuringAttack >= 0 && maxWastedShareOfNaiveDuringAttack <= 1)) {
      throw new IllegalArgumentException("expectations.maxWastedShareOfNaiveDuringAttack: expected a share in [0, 1], got "
          + maxWastedShareOfNaiveDuringAttack);
    }
  }

  public Expectations(ReplicaBounds replicas, List<AlertExpectation> alerts, Double maxWastedReplicaMinutes,
      Duration maxLegitimateP95Latency, Duration attackDetectedWithin, Duration recoveredWithin) {
    this(replicas, alerts, maxWastedReplicaMinutes, maxLegitimateP95Latency, attackDetectedWithin, recoveredWithin, null);
  }

  /** Replica bounds that must hold at every instant. */
  public record ReplicaBounds(@JsonProperty("min") Integer min, @JsonProperty("max") Integer max) {}

  /**
   * An alert expectation: with {@code fires: true} (default) the alert must start firing between
   * {@code after} and {@code before} (scenario time); with {@code fires: false} it must never fire.
   */
  public record AlertExpectation(
      @JsonProperty("alert") String alert,
      @JsonProperty("fires") Boolean fires,
      @JsonProperty("after") Duration after,
      @JsonProperty("before") Duration before) {

    public boolean firesOrDefault() {
      return fires == null || fires;
    }
  }
}
