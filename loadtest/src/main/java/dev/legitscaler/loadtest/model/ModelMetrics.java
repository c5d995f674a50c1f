package dev.legitscaler.loadtest.model;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/** The model service's metrics, by the names in docs/metrics.md, in a registry of its own. */
public final class ModelMetrics {

  /** How a request ended. */
  public enum Outcome {
    OK("ok"), INVALID("invalid"), ERROR("error");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram duration;

  public ModelMetrics(DoubleSupplier saturation) {
    requests = Counter.builder()
        .name("ml_model_requests_total")
        .help("Requests handled by the model service, by outcome")
        .labelNames("outcome")
        .register(registry);
    for (Outcome o : Outcome.values()) {
      requests.initLabelValues(o.label);
    }
    duration = Histogram.builder()
        .name("ml_model_request_duration_seconds")
        .help("End-to-end latency from the request's send timestamp to its answer")
        .classicOnly()
        // fine below 0.1 s: at time scale 6 a service time is ~13 ms and 3x of it must be readable
        .classicUpperBounds(0.0025, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.0175, 0.02, 0.025, 0.03, 0.035, 0.04,
            0.05, 0.06, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
        .register(registry);
    GaugeWithCallback.builder()
        .name("ml_model_saturation_ratio")
        .help("Busy fraction of this instance's worker capacity (0-1), smoothed over a short window")
        .callback(cb -> cb.call(saturation.getAsDouble()))
        .register(registry);
  }

  public void count(Outcome outcome) {
    requests.labelValues(outcome.label).inc();
  }

  public void observeSeconds(double seconds) {
    duration.observe(Math.max(0, seconds));
  }

  public double requests(Outcome outcome) {
    return requests.labelValues(outcome.label).get();
  }

  public PrometheusRegistry registry() {
    return registry;
  }
}
