package dev.legitscaler.loadtest.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Semantic checks that the YAML binding cannot express: required fields, ranges, ordering of times,
 * consistency between sections. Each violation names a JSON pointer so that the loader can report the
 * file line.
 */
public final class ScenarioValidator {

  /** One problem: where (JSON pointer), what, and what would be accepted. */
  public record Violation(String pointer, String problem, String accepted) {}

  private static final String NAME_FORM = "lowercase letters, digits and '-' (e.g. flash-crowd-3x)";
  private static final String SHARE_FORM = "a number from 0 to 1";
  private static final int MAX_CLIENTS = 5_000_000;

  private final List<Violation> violations = new ArrayList<>();

  private ScenarioValidator() {}

  public static List<Violation> validate(Scenario s) {
    ScenarioValidator v = new ScenarioValidator();
    v.check(s);
    return List.copyOf(v.violations);
  }

  private void check(Scenario s) {
    if (s.name() == null || !s.name().matches("[a-z0-9][a-z0-9-]*")) {
      add("/name", s.name() == null ? "is required" : "'" + s.name() + "' is not a valid name", NAME_FORM);
    }
    boolean hasDuration = positive("/duration", s.duration());
    if (s.timeScale() != null && !(s.timeScale() > 0 && s.timeScale() <= 1000)) {
      add("/timeScale", "must be > 0 and <= 1000, was " + s.timeScale(), "a number like 1, 5 or 10");
    }
    Legitimate legit = s.legitimate();
    if (legit == null) {
      add("/legitimate", "is required", "a map with rate, activeClients, phases, ...");
    } else {
      checkLegitimate(legit, hasDuration ? s.duration() : null);
    }
    Set<String> attackNames = new HashSet<>();
    for (int i = 0; i < s.attacks().size(); i++) {
      checkAttack("/attacks/" + i, s.attacks().get(i), s, attackNames);
    }
    if (s.model() != null) {
      if (s.model().capacityPerReplica() != null && !(s.model().capacityPerReplica() > 0)) {
        add("/model/capacityPerReplica", "must be > 0", "requests per second, e.g. 200");
      }
      if (s.model().workerSlots() != null && s.model().workerSlots() < 1) {
        add("/model/workerSlots", "must be >= 1", "an integer like 8");
      }
    }
    if (s.scaledObject() != null && s.scaledObject().isBlank()) {
      add("/scaledObject", "must not be empty", "a path to a ScaledObject manifest, e.g. "
          + Scenario.DEFAULT_SCALED_OBJECT);
    }
    if (s.expectations() != null) {
      checkExpectations(s.expectations(), s.duration());
    }
  }

  private void checkLegitimate(Legitimate l, Duration scenarioDuration) {
    if (l.rate() == null || !(l.rate() >= 0)) {
      add("/legitimate/rate", l.rate() == null ? "is required" : "must be >= 0, was " + l.rate(),
          "requests per second at the baseline level, e.g. 300");
    }
    if (l.activeClients() == null || l.activeClients() < 1 || l.activeClients() > MAX_CLIENTS) {
      add("/legitimate/activeClients", l.activeClients() == null ? "is required" : "out of range",
          "an integer from 1 to " + MAX_CLIENTS);
    } else if (l.knownClients() != null && (l.knownClients() < l.activeClients() || l.knownClients() > MAX_CLIENTS)) {
      add("/legitimate/knownClients", "must be >= activeClients (" + l.activeClients() + ")",
          "an integer from activeClients to " + MAX_CLIENTS);
    }
    if (l.ratePerClient() instanceof RateDistribution.LogNormal ln
        && (ln.sigma() == null || !(ln.sigma() > 0 && ln.sigma() <= 3))) {
      add("/legitimate/ratePerClient/sigma", "must be > 0 and <= 3", "a number like 0.5 (mild) or 1.0 (skewed)");
    }
    if (l.ratePerClient() instanceof RateDistribution.Pareto pa && (pa.alpha() == null || !(pa.alpha() > 1))) {
      add("/legitimate/ratePerClient/alpha", "must be > 1", "a number like 1.5 (heavy tail) or 3 (light)");
    }
    checkProfile("/legitimate/profile", l.profile(), false);
    share("/legitimate/newClientShare", l.newClientShare(), true);
    share("/legitimate/invalidShare", l.invalidShare(), false);
    Duration total = Duration.ZERO;
    for (int i = 0; i < l.phases().size(); i++) {
      String at = "/legitimate/phases/" + i;
      Phase phase = l.phases().get(i);
      if (phase == null) {
        add(at, "is empty", "a map with kind and duration");
        continue;
      }
      if (phase.name() != null && !phase.name().matches("[a-z0-9][a-z0-9-]*")) {
        add(at + "/name", "'" + phase.name() + "' is not a valid name", NAME_FORM);
      }
      if (positive(at + "/duration", phase.duration())) {
        total = total.plus(phase.duration());
      }
      if (phase instanceof Phase.Ramp ramp) {
        level(at + "/to", ramp.to());
      } else if (phase instanceof Phase.Step step) {
        level(at + "/to", step.to());
      } else if (phase instanceof Phase.FlashCrowd fc) {
        if (fc.peak() == null || !(fc.peak() >= 1 && fc.peak() <= 1000)) {
          add(at + "/peak", fc.peak() == null ? "is required" : "must be >= 1, was " + fc.peak(),
              "a multiple of the level before the crowd, e.g. 3");
        }
        share(at + "/newClientShare", fc.newClientShare(), false);
        if (fc.duration() != null && fc.rampUpOrDefault().plus(fc.rampDownOrDefault()).compareTo(fc.duration()) > 0) {
          add(at + "/rampDown", "rampUp + rampDown must not exceed the phase duration ("
              + ScenarioDurations.format(fc.duration()) + ")", "rampUp + rampDown <= duration");
        }
      }
    }
    if (scenarioDuration != null && total.compareTo(scenarioDuration) > 0) {
      add("/legitimate/phases", "phases last " + ScenarioDurations.format(total) + ", longer than the scenario ("
          + ScenarioDurations.format(scenarioDuration) + ")", "phase durations adding up to at most duration");
    }
  }

  private void checkAttack(String at, Attack a, Scenario s, Set<String> names) {
    if (a == null) {
      add(at, "is empty", "a map with name, start, end, sources, ratePerSource");
      return;
    }
    if (a.name() == null || !a.name().matches("[a-z0-9][a-z0-9-]*")) {
      add(at + "/name", a.name() == null ? "is required" : "'" + a.name() + "' is not a valid name", NAME_FORM);
    } else if (!names.add(a.name())) {
      add(at + "/name", "'" + a.name() + "' is used by another attack", "a name unique among attacks");
    }
    if (a.start() == null) {
      add(at + "/start", "is required", ScenarioDurations.ACCEPTED_FORM);
    }
    if (a.end() == null) {
      add(at + "/end", "is required", ScenarioDurations.ACCEPTED_FORM);
    }
    if (a.start() != null && a.end() != null) {
      if (a.end().compareTo(a.start()) <= 0) {
        add(at + "/end", "end (" + ScenarioDurations.format(a.end()) + ") must be after start ("
            + ScenarioDurations.format(a.start()) + ")", "a duration greater than start");
      } else if (a.rampUpOrDefault().compareTo(a.end().minus(a.start())) > 0) {
        add(at + "/rampUp", "longer than the attack", "a duration at most end - start");
      }
      if (s.duration() != null && a.end().compareTo(s.duration()) > 0) {
        add(at + "/end", "after the end of the scenario (" + ScenarioDurations.format(s.duration()) + ")",
            "a duration at most the scenario's duration");
      }
    }
    if (a.sources() == null || a.sources() < 1 || a.sources() > MAX_CLIENTS) {
      add(at + "/sources", a.sources() == null ? "is required" : "out of range, was " + a.sources(),
          "an integer from 1 to " + MAX_CLIENTS);
    } else if (a.identityOrDefault() == SourceIdentity.KNOWN && s.legitimate() != null
        && s.legitimate().activeClients() != null && a.sources() > s.legitimate().knownClientsOrDefault()) {
      add(at + "/sources", "more sources than known clients (" + s.legitimate().knownClientsOrDefault()
          + ") to reuse", "at most legitimate.knownClients with identity: known");
    }
    if (a.ratePerSource() == null || !(a.ratePerSource() > 0)) {
      add(at + "/ratePerSource", a.ratePerSource() == null ? "is required" : "must be > 0, was " + a.ratePerSource(),
          "requests per second per source, e.g. 2.5");
    }
    if (a.pattern() instanceof AttackPattern.Pulsing p) {
      positive(at + "/pattern/period", p.period());
      if (p.dutyCycle() == null || !(p.dutyCycle() > 0 && p.dutyCycle() <= 1)) {
        add(at + "/pattern/dutyCycle", p.dutyCycle() == null ? "is required" : "must be in (0, 1]",
            "the share of each period the attack is on, e.g. 0.25");
      }
    }
    share(at + "/invalidShare", a.invalidShare(), false);
    checkProfile(at + "/profile", a.profile(), true);
  }

  private static final int MAX_POOL = 1_000_000;

  private void checkProfile(String at, TrafficProfile p, boolean attack) {
    if (p == null) {
      return;
    }
    if (p.networks() != null) {
      NetworkPool n = p.networks();
      if (n.prefixes() == null || n.prefixes() < 1 || n.prefixes() > MAX_POOL) {
        add(at + "/networks/prefixes", n.prefixes() == null ? "is required" : "out of range, was " + n.prefixes(),
            "an integer from 1 to " + MAX_POOL + " (networks: /24 for ipv4, /48 for ipv6)");
      }
      concentration(at + "/networks/concentration", n.concentration());
      if (!attack && n.values() == PoolValues.SHARED) {
        add(at + "/networks/values", "the legitimate population has no other pool to share",
            "own (or leave it out)");
      }
    }
    pool(at + "/userAgents", p.userAgents(), attack);
    pool(at + "/paths", p.paths(), attack);
    pool(at + "/tlsFingerprints", p.tlsFingerprints(), attack);
    if (p.timing() instanceof Timing.Periodic periodic) {
      if (!attack) {
        add(at + "/timing", "periodic timing is for attacks only (legitimate clients are independent people)",
            "kind: poisson");
      } else if (periodic.jitter() != null && !(periodic.jitter() >= 0 && periodic.jitter() <= 1)) {
        add(at + "/timing/jitter", "must be from 0 to 1, was " + periodic.jitter(),
            "a share of the period, e.g. 0.1");
      }
    }
    if (p.payload() instanceof PayloadShape.Shifted sh && (sh.shift() == null || !(Math.abs(sh.shift()) <= 10))) {
      add(at + "/payload/shift", sh.shift() == null ? "is required" : "must be from -10 to 10, was " + sh.shift(),
          "a shift of every feature, e.g. 0.5 (features are uniform in [-1, 1])");
    }
    if (p.payload() instanceof PayloadShape.Replayed r && (r.set() == null || r.set() < 1 || r.set() > 4096)) {
      add(at + "/payload/set", r.set() == null ? "is required" : "out of range, was " + r.set(),
          "an integer from 1 to 4096 (distinct requests replayed)");
    }
  }

  private void pool(String at, AttributePool pool, boolean attack) {
    if (pool == null) {
      return;
    }
    if (pool.size() == null || pool.size() < 1 || pool.size() > MAX_POOL) {
      add(at + "/size", pool.size() == null ? "is required" : "out of range, was " + pool.size(),
          "an integer from 1 to " + MAX_POOL + " (distinct values)");
    }
    concentration(at + "/concentration", pool.concentration());
    if (!attack && pool.values() == PoolValues.OWN) {
      add(at + "/values", "the legitimate population's values are the reference ones", "shared (or leave it out)");
    }
  }

  private void concentration(String at, Double c) {
    if (c != null && !(c >= 0 && c <= 5)) {
      add(at, "must be from 0 to 5, was " + c, "a Zipf exponent: 0 (even) to 5 (nearly all on the first value)");
    }
  }

  private void checkExpectations(Expectations e, Duration scenarioDuration) {
    if (e.replicas() != null) {
      Integer min = e.replicas().min();
      Integer max = e.replicas().max();
      if (min == null || max == null || min < 0 || max < min) {
        add("/expectations/replicas", "needs 0 <= min <= max", "{min: 4, max: 6}");
      }
    }
    for (int i = 0; i < e.alerts().size(); i++) {
      String at = "/expectations/alerts/" + i;
      Expectations.AlertExpectation a = e.alerts().get(i);
      if (a == null || a.alert() == null || a.alert().isBlank()) {
        add(at + "/alert", "is required", "the alert's name, e.g. ModelInstanceSaturated");
        continue;
      }
      if (!a.firesOrDefault() && (a.after() != null || a.before() != null)) {
        add(at + "/fires", "an alert that must not fire has no window", "fires: false without after/before");
      }
      if (a.after() != null && a.before() != null && a.before().compareTo(a.after()) <= 0) {
        add(at + "/before", "before must be later than after", "after < before");
      }
      if (scenarioDuration != null && a.after() != null && a.after().compareTo(scenarioDuration) > 0) {
        add(at + "/after", "after the end of the scenario", "a duration at most the scenario's duration");
      }
    }
    if (e.maxWastedReplicaMinutes() != null && !(e.maxWastedReplicaMinutes() >= 0)) {
      add("/expectations/maxWastedReplicaMinutes", "must be >= 0", "replica-minutes, e.g. 1.5");
    }
    if (e.maxLegitimateP95Latency() != null) {
      positive("/expectations/maxLegitimateP95Latency", e.maxLegitimateP95Latency());
    }
    if (e.attackDetectedWithin() != null) {
      positive("/expectations/attackDetectedWithin", e.attackDetectedWithin());
    }
    if (e.recoveredWithin() != null) {
      positive("/expectations/recoveredWithin", e.recoveredWithin());
    }
  }

  private boolean positive(String at, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      add(at, d == null ? "is required" : "must be longer than 0", ScenarioDurations.ACCEPTED_FORM);
      return false;
    }
    return true;
  }

  private void level(String at, Double level) {
    if (level == null || !(level >= 0 && level <= 1000)) {
      add(at, level == null ? "is required" : "must be from 0 to 1000, was " + level,
          "a level, as a multiple of the baseline rate (1 = baseline)");
    }
  }

  private void share(String at, Double share, boolean belowOne) {
    if (share != null && !(share >= 0 && (belowOne ? share < 1 : share <= 1))) {
      add(at, "must be from 0 to 1" + (belowOne ? " (exclusive)" : "") + ", was " + share, SHARE_FORM);
    }
  }

  private void add(String pointer, String problem, String accepted) {
    violations.add(new Violation(pointer, problem, accepted));
  }
}
