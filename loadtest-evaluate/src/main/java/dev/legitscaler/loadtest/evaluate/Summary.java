package dev.legitscaler.loadtest.evaluate;

import dev.legitscaler.loadtest.scenario.Attack;
import dev.legitscaler.loadtest.scenario.Expectations;
import dev.legitscaler.loadtest.scenario.ScenarioDurations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers of docs/run-output.md computed from an evaluation, plus the expectations verdicts. Every
 * field is documented in docs/evaluate.md.
 */
public final class Summary {
  /** Score at or above which the traffic counts as judged normal again. */
  public static final double NORMAL_SCORE = 0.9;
  /** Allowance after each attack start before the legitimate part must have its replicas. */
  public static final Duration ATTACK_GRACE = Duration.ofSeconds(60);

  /** One attack episode: overlapping attacks merged, [start, end) in scenario seconds. */
  public record Episode(String names, long start, long end, Long detectedAt, Long recoveredAt) {
    public Long detectionDelay() {
      return detectedAt == null ? null : detectedAt - start;
    }

    public Long recovery() {
      return recoveredAt == null ? null : recoveredAt - end;
    }
  }

  /** Per-policy replica accounting (replica-minutes of scenario time). */
  public record PolicyNumbers(int replicasMin, int replicasMax, double wastedReplicaMinutes,
      double underProvisionedReplicaMinutes, Long reachedPeakNeededAt) {}

  public record Check(String name, boolean passed, String detail) {}

  private Summary() {}

  public record Computed(PolicyNumbers legit, PolicyNumbers naive, Double wastedRatio, List<Episode> episodes,
      Long detectionDelaySeconds, Long recoverySeconds, double legitOnlyLowScoreWindowShare, int legitOnlyWindows,
      int neededPeak, Long neededPeakAt, int secondsDifferentFromNaive, int maxReplicasAboveNeededDuringAttack,
      double underProvisionedInAttackReplicaMinutes, double minScore, List<Check> checks) {

    public boolean expectationsPassed() {
      return checks.stream().allMatch(Check::passed);
    }
  }

  public static Computed compute(Evaluator.Result r) {
    List<Evaluator.Second> secs = r.seconds();
    long durationSec = secs.size();
    int neededPeak = 0;
    Long neededPeakAt = null;
    for (Evaluator.Second s : secs) {
      if (s.needed() > neededPeak) {
        neededPeak = s.needed();
        neededPeakAt = s.t();
      }
    }
    Long riseAt = null;
    for (Evaluator.Second s : secs) {
      if (s.needed() > r.setup().minReplicas()) {
        riseAt = s.t();
        break;
      }
    }
    if (neededPeak <= r.setup().minReplicas()) {
      neededPeakAt = null; // nothing to reach beyond the floor
    }
    PolicyNumbers legit = numbers(secs, true, neededPeak, riseAt);
    PolicyNumbers naive = numbers(secs, false, neededPeak, riseAt);
    Double ratio = naive.wastedReplicaMinutes() > 0 ? legit.wastedReplicaMinutes() / naive.wastedReplicaMinutes() : null;

    long windowMillis = r.setup().scorer().windowMillis() + r.setup().scorer().bucketMillis();
    List<Episode> episodes = episodes(r, durationSec);
    Long detection = null;
    Long recovery = null;
    boolean allDetected = !episodes.isEmpty();
    boolean allRecovered = !episodes.isEmpty();
    for (Episode e : episodes) {
      if (e.detectionDelay() == null) {
        allDetected = false;
      } else {
        detection = detection == null ? e.detectionDelay() : Math.max(detection, e.detectionDelay());
      }
      if (e.recovery() == null) {
        allRecovered = false;
      } else {
        recovery = recovery == null ? e.recovery() : Math.max(recovery, e.recovery());
      }
    }
    if (!allDetected) {
      detection = null;
    }
    if (!allRecovered) {
      recovery = null;
    }

    int legitOnly = 0;
    int low = 0;
    double minScore = 1.0;
    for (Evaluator.Refresh f : r.refreshes()) {
      minScore = Math.min(minScore, f.score());
      if (f.tMillis() - f.lastAttackEventMillis() > windowMillis) {
        legitOnly++;
        if (f.score() < NORMAL_SCORE) {
          low++;
        }
      }
    }

    int different = 0;
    int aboveNeeded = 0;
    double underInAttack = 0;
    for (Evaluator.Second s : secs) {
      if (s.replicas() != s.naiveReplicas()) {
        different++;
      }
      for (Episode e : episodes) {
        if (s.t() >= e.start() && s.t() < e.end()) {
          aboveNeeded = Math.max(aboveNeeded, s.replicas() - s.needed());
          if (s.t() >= e.start() + ATTACK_GRACE.toSeconds()) {
            underInAttack += Math.max(0, s.needed() - s.replicas()) / 60.0;
          }
        }
      }
    }
    Computed partial = new Computed(legit, naive, ratio, episodes, detection, recovery,
        legitOnly == 0 ? 0.0 : low / (double) legitOnly, legitOnly, neededPeak, neededPeakAt, different, aboveNeeded,
        underInAttack, minScore, List.of());
    return new Computed(legit, naive, ratio, episodes, detection, recovery, partial.legitOnlyLowScoreWindowShare(),
        legitOnly, neededPeak, neededPeakAt, different, aboveNeeded, underInAttack, minScore, checks(r, partial));
  }

  /** {@code riseAt}: first second the legitimate traffic needs more than the floor (null: never). */
  private static PolicyNumbers numbers(List<Evaluator.Second> secs, boolean legit, int neededPeak, Long riseAt) {
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    double wasted = 0;
    double under = 0;
    Long reached = null;
    for (Evaluator.Second s : secs) {
      int n = legit ? s.replicas() : s.naiveReplicas();
      min = Math.min(min, n);
      max = Math.max(max, n);
      wasted += Math.max(0, n - s.needed()) / 60.0;
      under += Math.max(0, s.needed() - n) / 60.0;
      if (reached == null && riseAt != null && s.t() >= riseAt && n >= neededPeak) {
        reached = s.t();
      }
    }
    return new PolicyNumbers(min, max, wasted, under, reached);
  }

  /** Attacks merged where they overlap; detection and recovery measured on the scaler's refreshes. */
  private static List<Episode> episodes(Evaluator.Result r, long durationSec) {
    List<long[]> spans = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Attack> attacks = new ArrayList<>(r.scenario().attacks());
    attacks.sort((a, b) -> a.start().compareTo(b.start()));
    for (Attack a : attacks) {
      long s = a.start().toSeconds();
      long e = Math.min(a.end().toSeconds(), durationSec);
      if (s >= durationSec) {
        continue;
      }
      if (!spans.isEmpty() && s <= spans.get(spans.size() - 1)[1]) {
        long[] last = spans.get(spans.size() - 1);
        last[1] = Math.max(last[1], e);
        names.set(names.size() - 1, names.get(names.size() - 1) + "+" + a.name());
      } else {
        spans.add(new long[] {s, e});
        names.add(a.name());
      }
    }
    List<Episode> out = new ArrayList<>();
    List<Evaluator.Refresh> refreshes = r.refreshes();
    for (int i = 0; i < spans.size(); i++) {
      long start = spans.get(i)[0];
      long end = spans.get(i)[1];
      long nextStart = i + 1 < spans.size() ? spans.get(i + 1)[0] : Long.MAX_VALUE;
      Long detected = null;
      for (Evaluator.Refresh f : refreshes) {
        long t = f.tMillis() / 1000;
        if (t >= start && t < nextStart && f.attack()) {
          detected = t;
          break;
        }
      }
      // recovered: the first refresh at or after the end from which s stays >= 0.9 until the next
      // episode (or the end of the run); none when the run ends first
      Long recovered = null;
      for (Evaluator.Refresh f : refreshes) {
        long t = f.tMillis() / 1000;
        if (t < end || t >= nextStart) {
          continue;
        }
        if (f.score() < NORMAL_SCORE) {
          recovered = null;
        } else if (recovered == null) {
          recovered = t;
        }
      }
      out.add(new Episode(names.get(i), start, end, detected, recovered));
    }
    return out;
  }

  private static List<Check> checks(Evaluator.Result r, Computed c) {
    Expectations x = r.scenario().expectationsOrDefault();
    List<Check> checks = new ArrayList<>();
    if (x.replicas() != null) {
      Integer min = x.replicas().min();
      Integer max = x.replicas().max();
      boolean ok = (min == null || c.legit().replicasMin() >= min) && (max == null || c.legit().replicasMax() <= max);
      checks.add(new Check("replicas", ok, "replicas stayed within " + c.legit().replicasMin() + ".." + c.legit().replicasMax()
          + ", expected " + (min == null ? "-" : min) + ".." + (max == null ? "-" : max)));
    }
    if (x.maxWastedReplicaMinutes() != null) {
      double w = c.legit().wastedReplicaMinutes();
      checks.add(new Check("maxWastedReplicaMinutes", w <= x.maxWastedReplicaMinutes() + 1e-9,
          fmt(w) + " wasted replica-minutes, allowed " + fmt(x.maxWastedReplicaMinutes())
              + " (naive policy: " + fmt(c.naive().wastedReplicaMinutes()) + ")"));
    }
    if (x.attackDetectedWithin() != null) {
      checks.add(perEpisode("attackDetectedWithin", c.episodes(), x.attackDetectedWithin(), true));
    }
    if (x.recoveredWithin() != null) {
      checks.add(perEpisode("recoveredWithin", c.episodes(), x.recoveredWithin(), false));
    }
    if (x.maxLegitimateP95Latency() != null) {
      checks.add(new Check("maxLegitimateP95Latency", true,
          "not evaluated offline (no request latencies in the fluid model): checked only by `loadtest run`"));
    }
    for (Expectations.AlertExpectation a : x.alerts()) {
      checks.add(new Check("alert " + a.alert() + (a.firesOrDefault() ? " fires" : " does not fire"), true,
          "not evaluated offline (needs Prometheus and the rule files): checked only by `loadtest run`"));
    }
    return checks;
  }

  private static Check perEpisode(String name, List<Episode> episodes, Duration limit, boolean detection) {
    if (episodes.isEmpty()) {
      return new Check(name, true, "no attack in this scenario");
    }
    boolean ok = true;
    List<String> parts = new ArrayList<>();
    for (Episode e : episodes) {
      Long v = detection ? e.detectionDelay() : e.recovery();
      boolean pass = v != null && v <= limit.toSeconds();
      ok &= pass;
      parts.add(e.names() + ": " + (v == null ? (detection ? "never detected" : "not recovered before the run ended")
          : v + " s"));
    }
    return new Check(name, ok, String.join("; ", parts) + " (limit " + ScenarioDurations.format(limit) + ")");
  }

  static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.2f", d);
  }

  /** The summary.json document (docs/run-output.md) with the evaluation's extra fields. */
  public static Map<String, Object> document(Evaluator.Result r, Computed c, String scaledObjectPath, String version) {
    Evaluator.Setup s = r.setup();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("scenario", r.scenario().name());
    params.put("seed", r.scenario().seedOrDefault());
    params.put("timeScale", r.scenario().timeScaleOrDefault());
    params.put("durationSeconds", r.scenario().duration().toSeconds());
    params.put("scaledObject", scaledObjectPath);
    params.put("targetLoad", s.config().policy().targetLoad());
    params.put("capacityPerReplica", s.capacityPerReplica());
    params.put("holdUnscoredIncrease", s.config().policy().holdUnscoredIncrease());
    params.put("legitimacySource", s.config().legitimacySource().keyword());
    params.put("legitimacyMode", s.config().policy().legitimacyMode().keyword());
    params.put("minReplicas", s.config().policy().minReplicas());
    params.put("maxReplicas", s.config().policy().maxReplicas());
    params.put("lagThreshold", s.config().policy().lagThreshold());
    params.put("partitions", s.settings().partitions());
    params.put("podStartDelaySeconds", s.settings().podStartDelay().toMillis() / 1000.0);
    params.put("refreshIntervalSeconds", s.refreshInterval().toMillis() / 1000.0);
    params.put("hpaSyncSeconds", s.syncPeriod().toSeconds());
    params.put("version", version);

    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("scenario", r.scenario().name());
    doc.put("mode", "evaluate");
    doc.put("params", params);
    doc.put("replicas", Map.of("min", c.legit().replicasMin(), "max", c.legit().replicasMax()));
    doc.put("legit", policy(c.legit(), c));
    doc.put("naive", policy(c.naive(), null));
    doc.put("wastedRatio", c.wastedRatio());
    doc.put("detectionDelaySeconds", c.detectionDelaySeconds());
    doc.put("recoverySeconds", c.recoverySeconds());
    doc.put("legitOnlyLowScoreWindowShare", c.legitOnlyLowScoreWindowShare());
    doc.put("legitOnlyWindows", c.legitOnlyWindows());
    doc.put("minScore", c.minScore());
    Map<String, Object> needed = new LinkedHashMap<>();
    needed.put("peak", c.neededPeak());
    needed.put("peakAtSeconds", c.neededPeakAt());
    Long lr = c.legit().reachedPeakNeededAt();
    Long nr = c.naive().reachedPeakNeededAt();
    needed.put("legitDelayVsNaiveSeconds", lr != null && nr != null ? Long.valueOf(lr - nr) : null);
    doc.put("neededReplicas", needed);
    List<Map<String, Object>> attacks = new ArrayList<>();
    for (Episode e : c.episodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("attacks", e.names());
      m.put("start", e.start());
      m.put("end", e.end());
      m.put("detectedAt", e.detectedAt());
      m.put("detectionDelaySeconds", e.detectionDelay());
      m.put("recoveredAt", e.recoveredAt());
      m.put("recoverySeconds", e.recovery());
      attacks.add(m);
    }
    doc.put("attacks", attacks);
    doc.put("alerts", List.of());
    doc.put("notifications", List.of());
    List<Map<String, Object>> checks = new ArrayList<>();
    for (Check k : c.checks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", k.name());
      m.put("passed", k.passed());
      m.put("detail", k.detail());
      checks.add(m);
    }
    doc.put("expectations", checks);
    doc.put("expectationsPassed", c.expectationsPassed());
    return doc;
  }

  private static Map<String, Object> policy(PolicyNumbers p, Computed legitExtras) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("wastedReplicaMinutes", round(p.wastedReplicaMinutes()));
    m.put("underProvisionedReplicaMinutes", round(p.underProvisionedReplicaMinutes()));
    m.put("replicasMin", p.replicasMin());
    m.put("replicasMax", p.replicasMax());
    m.put("reachedPeakNeededAtSeconds", p.reachedPeakNeededAt());
    if (legitExtras != null) {
      m.put("secondsDifferentFromNaive", legitExtras.secondsDifferentFromNaive());
      m.put("maxReplicasAboveNeededDuringAttack", legitExtras.maxReplicasAboveNeededDuringAttack());
      m.put("underProvisionedInAttackReplicaMinutes", round(legitExtras.underProvisionedInAttackReplicaMinutes()));
    }
    return m;
  }

  private static double round(double d) {
    return Math.round(d * 1000.0) / 1000.0;
  }
}
