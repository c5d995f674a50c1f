package dev.legitscaler.loadtest.replay;

import dev.legitscaler.loadtest.hpa.Condition;
import dev.legitscaler.loadtest.hpa.ExternalMetric;
import dev.legitscaler.loadtest.hpa.ExternalMetrics;
import dev.legitscaler.loadtest.hpa.HpaController;
import dev.legitscaler.loadtest.hpa.MetricOutcome;
import dev.legitscaler.loadtest.hpa.MetricReading;
import dev.legitscaler.loadtest.hpa.PodCounts;
import dev.legitscaler.loadtest.hpa.Quantities;
import dev.legitscaler.loadtest.hpa.ReconcileResult;
import dev.legitscaler.loadtest.hpa.ScaleTarget;
import dev.legitscaler.loadtest.keda.FallbackTracker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs a replay: one reconcile per step, at the step's time, on a clock that only the replay moves.
 * Between steps the target settles at the desired size (spec = status = desired, all pods ready) unless
 * the next step says otherwise.
 */
public final class Replayer {
  private Replayer() {}

  /** The output lines, as ordered maps ready for JSON. */
  public static List<Map<String, Object>> run(ReplayInput in, boolean verbose) {
    StepClock clock = new StepClock(in.start());
    HpaController controller = new HpaController(in.spec(), in.config(), clock, in.initial().history());
    FallbackTracker fallback = new FallbackTracker(in.fallback());
    int spec = in.initial().replicas();
    int status = in.initial().statusReplicas();
    PodCounts pods = in.initial().pods();
    List<Map<String, Object>> lines = new ArrayList<>();
    for (ReplayInput.Step step : in.steps()) {
      clock.now = in.start().plusSeconds(step.t());
      spec = step.replicas().orElse(spec);
      int stepStatus = step.statusReplicas().orElse(status);
      PodCounts stepPods = stepPods(step, pods);
      int current = spec;
      Set<String> fellBack = new TreeSet<>();
      ExternalMetrics metrics = name -> {
        MetricReading raw = step.metrics().get(name);
        if (in.fallback().isEmpty()) {
          return raw;
        }
        ExternalMetric m = in.spec().metrics().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        FallbackTracker.Result r = fallback.apply(m, raw, current);
        if (r.fallbackActive()) {
          fellBack.add(name);
        }
        return r.reading();
      };
      ReconcileResult r = controller.reconcile(new ScaleTarget(spec, stepStatus, stepPods), metrics);
      lines.add(line(step, r, fellBack, verbose));
      spec = r.desiredReplicas();
      status = spec;
      pods = PodCounts.allReady(spec);
    }
    return lines;
  }

  /**
   * The pods a step reconciles with. {@code pods} without {@code readyPods} means all of them ready, as in
   * {@code initial}; {@code readyPods} alone keeps the settled pod count (raised to it if needed); neither
   * keeps the settled pods.
   */
  static PodCounts stepPods(ReplayInput.Step step, PodCounts settled) {
    if (step.pods().isPresent()) {
      int total = step.pods().get();
      return new PodCounts(total, step.readyPods().orElse(total));
    }
    if (step.readyPods().isPresent()) {
      int ready = step.readyPods().get();
      return new PodCounts(Math.max(settled.total(), ready), ready);
    }
    return settled;
  }

  static Map<String, Object> line(ReplayInput.Step step, ReconcileResult r, Set<String> fellBack, boolean verbose) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("t", step.t());
    out.put("currentReplicas", r.currentReplicas());
    out.put("desiredReplicas", r.desiredReplicas());
    out.put("reason", r.reason());
    r.metricProposal().ifPresent(p -> out.put("metricProposal", p));
    r.stabilizedReplicas().ifPresent(s -> out.put("stabilized", s));
    if (!r.metrics().isEmpty()) {
      List<Map<String, Object>> ms = new ArrayList<>();
      for (MetricOutcome o : r.metrics()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", o.metric());
        if (o instanceof MetricOutcome.Proposed p) {
          m.put("usage", Quantities.format(p.usageMilli()));
          m.put("ratio", p.ratio());
          m.put("proposal", p.replicas());
        } else if (o instanceof MetricOutcome.Invalid inv) {
          m.put("error", inv.message());
        }
        if (fellBack.contains(o.metric())) {
          m.put("fallback", true);
        }
        ms.add(m);
      }
      out.put("metrics", ms);
    }
    if (verbose) {
      r.rescaleReason().ifPresent(s -> out.put("rescaleReason", s));
      Map<String, Object> conds = new LinkedHashMap<>();
      for (String type : List.of("AbleToScale", "ScalingActive", "ScalingLimited")) {
        Condition c = r.conditions().get(type);
        if (c != null) {
          Map<String, Object> cm = new LinkedHashMap<>();
          cm.put("status", c.status());
          cm.put("reason", c.reason());
          cm.put("message", c.message());
          conds.put(type, cm);
        }
      }
      out.put("conditions", conds);
      r.error().ifPresent(e -> out.put("error", e));
    }
    return out;
  }

  /** The replay's clock: moved to each step's time, never reads the wall clock. */
  private static final class StepClock extends Clock {
    Instant now;

    StepClock(Instant start) {
      this.now = start;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
