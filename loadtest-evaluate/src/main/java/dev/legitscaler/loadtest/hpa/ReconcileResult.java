package dev.legitscaler.loadtest.hpa;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one reconcile decided.
 *
 * @param currentReplicas spec replicas read at the start
 * @param desiredReplicas the size written to the scale subresource (= current when nothing changes)
 * @param rescale whether the scale was updated
 * @param metricProposal max of the valid metric proposals (empty when metrics were not used or failed)
 * @param stabilizedReplicas after the stabilization window, before clamps and rate limits
 * @param reason one word for why {@code desiredReplicas} is what it is (see {@link HpaController})
 * @param rescaleReason upstream's event text for a rescale ("... above target", "All metrics below target")
 * @param conditions the HPA conditions by type after this reconcile
 * @param metrics every metric's outcome, in spec order
 * @param error the error upstream would return from the reconcile (failed metrics), if any
 */
public record ReconcileResult(
    Instant at,
    int currentReplicas,
    int desiredReplicas,
    boolean rescale,
    Optional<Integer> metricProposal,
    Optional<Integer> stabilizedReplicas,
    String reason,
    Optional<String> rescaleReason,
    Map<String, Condition> conditions,
    List<MetricOutcome> metrics,
    Optional<String> error) {

  public ReconcileResult {
    conditions = Map.copyOf(conditions);
    metrics = List.copyOf(metrics);
  }
}
