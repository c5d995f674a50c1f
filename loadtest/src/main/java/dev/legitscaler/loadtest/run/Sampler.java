package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.keda.ScaledObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Records one {@link Sample} from any {@link Environment}: the scaler's series from its own /metrics
 * when the environment exposes it (fresher than Prometheus' last scrape), else from Prometheus; the
 * replicas from the environment when it holds them, else kube-state-metrics' desired replicas; load,
 * latency and alerts from Prometheus. Rates are scenario requests/s.
 */
final class Sampler {
  private final Environment env;
  private final MetricsReader metrics;
  private final ScaledObject so;
  private final double timeScale;
  private final String ns;
  private final String soLabel;

  Sampler(Environment env, MetricsReader metrics, double timeScale) {
    this.env = env;
    this.metrics = metrics;
    this.so = env.scaledObject();
    this.timeScale = timeScale;
    this.ns = "namespace=\"" + so.namespace() + "\"";
    this.soLabel = "scaled_object=\"" + so.name() + "\"";
  }

  /**
   * What Prometheus and the alerting say at one instant, the slow half of a sample (several queries):
   * read at most twice per wall second, while the scaler's own series and the replicas are read every
   * scenario second ({@link #sample}).
   */
  record Observed(Double loadMax, Double loadMean, Double latencyP95Ms, Map<String, String> firingAlerts,
      Set<String> pendingAlerts, Integer notifications) {
    static final Observed NONE = new Observed(null, null, null, null, null, null);
  }

  /** Whether the fast half reads only the environment's own endpoints (the scaler's /metrics, the spec replicas). */
  boolean fastWithoutPrometheus() {
    return env.addresses().scalerMetrics().isPresent() && env.specReplicas().isPresent();
  }

  Observed observe() {
    String prometheus = env.addresses().prometheus();
    List<Double> loads = metrics.query(prometheus, "ml_model_saturation_ratio{" + ns + "}");
    MetricsReader.Alerts alerts = env.alerting() ? metrics.alerts(prometheus) : null;
    return new Observed(
        loads.isEmpty() ? null : loads.stream().mapToDouble(Double::doubleValue).max().getAsDouble(),
        loads.isEmpty() ? null : loads.stream().mapToDouble(Double::doubleValue).average().getAsDouble(),
        latencyP95(prometheus), alerts == null ? null : alerts.firing(), alerts == null ? null : alerts.pending(),
        env.notificationCount().orElse(null));
  }

  /** A sample with a fresh Prometheus half. */
  Sample sample(double t, Double achievedWallRate) {
    return sample(t, achievedWallRate, observe());
  }

  /**
   * @param t scenario seconds of this sample
   * @param achievedWallRate the generator's achieved rate in wall requests/s, or null before its first report
   * @param observed the newest Prometheus half ({@link #observe})
   */
  Sample sample(double t, Double achievedWallRate, Observed observed) {
    String prometheus = env.addresses().prometheus();
    String text = env.addresses().scalerMetrics().map(u -> metrics.get(u).orElse("")).orElse(null);
    OptionalInt spec = env.specReplicas();
    Integer replicas = spec.isPresent() ? Integer.valueOf(spec.getAsInt()) : desiredFromPrometheus(prometheus);
    return new Sample(t, replicas,
        scaler(text, "legitscaler_published_value"),
        scaler(text, "legitscaler_demand_replicas", "term=\"load\""),
        scaler(text, "legitscaler_demand_replicas", "term=\"lag\""),
        scaler(text, "legitscaler_legitimacy_score"),
        scaler(text, "legitscaler_attack_suspected"),
        observed.loadMax(), observed.loadMean(),
        scaler(text, "legitscaler_kafka_lag_messages"),
        achievedWallRate == null ? null : achievedWallRate / timeScale,
        observed.latencyP95Ms(), observed.firingAlerts(), observed.pendingAlerts(), observed.notifications());
  }

  /** One of the scaler's series for this ScaledObject: from its exposition text, or (text null) from Prometheus. */
  private Double scaler(String text, String metric, String... extra) {
    List<String> labels = new ArrayList<>(List.of(ns, soLabel));
    labels.addAll(List.of(extra));
    if (text != null) {
      return MetricsReader.first(MetricsReader.series(text, metric, labels.toArray(String[]::new)));
    }
    return one(env.addresses().prometheus(), "max(" + metric + "{" + String.join(",", labels) + "})");
  }

  private Integer desiredFromPrometheus(String prometheus) {
    Double desired = one(prometheus, "max(kube_horizontalpodautoscaler_status_desired_replicas{" + ns
        + ",horizontalpodautoscaler=\"" + so.hpaName() + "\"})");
    return desired == null ? null : (int) Math.round(desired);
  }

  /** p95 of the models' end-to-end latency (from the intended send time) over a scaled minute. */
  private Double latencyP95(String prometheus) {
    long window = Math.max(5, Math.round(60 / timeScale));
    Double s = one(prometheus, "histogram_quantile(0.95, sum by (le) (rate(ml_model_request_duration_seconds_bucket{"
        + ns + "}[" + window + "s])))");
    return s == null ? null : s * 1000;
  }

  private Double one(String prometheus, String promql) {
    List<Double> v = metrics.query(prometheus, promql);
    return v.isEmpty() || v.get(0).isNaN() ? null : v.get(0);
  }
}
