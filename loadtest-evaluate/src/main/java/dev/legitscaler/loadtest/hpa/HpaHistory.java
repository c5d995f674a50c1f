package dev.legitscaler.loadtest.hpa;

import java.util.List;
import java.util.Optional;

/**
 * The controller's memory of one HPA: recommendations and scale events.
 *
 * @param recommendations empty Optional: the controller has never reconciled this HPA, and the first
 *     reconcile seeds it with {current, now}; an empty list is a known, empty history (no seeding)
 */
public record HpaHistory(Optional<List<Recommendation>> recommendations, List<ScaleEvent> scaleUpEvents, List<ScaleEvent> scaleDownEvents) {
  public HpaHistory {
    recommendations = recommendations.map(List::copyOf);
    scaleUpEvents = List.copyOf(scaleUpEvents);
    scaleDownEvents = List.copyOf(scaleDownEvents);
  }

  /** A controller that has never seen the HPA. */
  public static HpaHistory none() {
    return new HpaHistory(Optional.empty(), List.of(), List.of());
  }

  public static HpaHistory ofRecommendations(List<Recommendation> recs) {
    return new HpaHistory(Optional.of(recs), List.of(), List.of());
  }
}
