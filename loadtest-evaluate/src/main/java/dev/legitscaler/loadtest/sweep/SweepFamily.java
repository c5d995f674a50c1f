package dev.legitscaler.loadtest.sweep;

import dev.legitscaler.loadtest.scenario.Attack;
import dev.legitscaler.loadtest.scenario.AttributePool;
import dev.legitscaler.loadtest.scenario.Legitimate;
import dev.legitscaler.loadtest.scenario.ModelCapacity;
import dev.legitscaler.loadtest.scenario.NetworkPool;
import dev.legitscaler.loadtest.scenario.PayloadShape;
import dev.legitscaler.loadtest.scenario.Phase;
import dev.legitscaler.loadtest.scenario.PoolValues;
import dev.legitscaler.loadtest.scenario.RampUpForm;
import dev.legitscaler.loadtest.scenario.RateDistribution;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioValidator;
import dev.legitscaler.loadtest.scenario.SourceIdentity;
import dev.legitscaler.loadtest.scenario.Timing;
import dev.legitscaler.loadtest.scenario.TrafficProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sweep's scenario family: the cross product of its axes, each cell a {@link Scenario} built from
 * the scenario model's records (the same validation as a scenario file).
 *
 * <p>Every cell shares one legitimate population, the one of the built-in dimension scenarios (300 req/s
 * from 1000 active of 3000 known clients, log-normal per-client rates with mean 0.3 req/s, 3000 /24
 * networks, 200 user agents, 12 paths, 40 TLS fingerprints). After a {@code baseline} of calm traffic
 * the surge joins over {@code rampUp}, holds until {@code baseline + surge} and stops; the run goes on
 * for {@code after}. A crowd cell's surge is a {@code flashCrowd} phase of the same height (rising over
 * {@code rampUp}, falling over {@code rampUp}); a botnet cell's is an attack joining linearly.
 *
 * @param surgeShares surge shares (share of the peak total that is extra), e.g. 0.5 and 0.8
 * @param rateRatios per-client rate of a bot / the population's mean per-client rate
 * @param novelties how many extra clients are never seen
 * @param dimensions which dimension the bots differ in
 * @param crowds whether the family holds the crowd cells (attack share 0) at every surge share × novelty
 * @param seed seed of the first cell; cell i has seed {@code seed + i}
 * @param baseline calm traffic before the surge (the scorer's baselines learn in it)
 * @param surge how long the surge lasts, ramps included
 * @param rampUp how long the surge takes to reach its height (and a crowd to fall back)
 * @param after calm traffic after the surge (recovery, the scale-down tail)
 */
public record SweepFamily(List<Double> surgeShares, List<Double> rateRatios, List<Novelty> novelties,
    List<DifferingDimension> dimensions, boolean crowds, long seed, Duration baseline, Duration surge,
    Duration rampUp, Duration after) {

  /** The population's baseline rate (req/s) and clients. */
  static final double BASE_RATE = 300;
  static final int ACTIVE_CLIENTS = 1000;
  static final int KNOWN_CLIENTS = 3000;
  static final double MEAN_CLIENT_RATE = BASE_RATE / ACTIVE_CLIENTS;
  static final int LEGIT_PREFIXES = 3000;
  static final double LEGIT_CONCENTRATION = 0.5;
  /** The name of the crowd phase (crowd cells count their false positives inside it). */
  public static final String CROWD_PHASE = "flash-crowd";

  public SweepFamily {
    surgeShares = List.copyOf(surgeShares);
    rateRatios = List.copyOf(rateRatios);
    novelties = List.copyOf(novelties);
    dimensions = List.copyOf(dimensions);
    if (rampUp.compareTo(surge.dividedBy(2)) > 0) {
      throw new IllegalArgumentException("rampUp must be at most half the surge, was " + rampUp + " of " + surge);
    }
  }

  /**
   * The family `loadtest sweep` runs: 2 surge shares × 3 rate ratios × 2 novelties × 5 dimensions = 60
   * botnet cells, plus 4 crowd cells; 13 scenario-minutes each (5 min baseline, 5 min surge, 3 min after).
   */
  public static SweepFamily standard(long seed) {
    return new SweepFamily(List.of(0.5, 0.8), List.of(1.0, 3.0, 10.0), List.of(Novelty.NEW, Novelty.MIXED),
        List.of(DifferingDimension.values()), true, seed, Duration.ofMinutes(5), Duration.ofMinutes(5),
        Duration.ofSeconds(60), Duration.ofMinutes(3));
  }

  public Duration duration() {
    return baseline.plus(surge).plus(after);
  }

  /** The cells in a fixed order: crowds first, then botnets by dimension, rate ratio, share, novelty. */
  public List<SweepCell> cells() {
    List<SweepCell> cells = new ArrayList<>();
    if (crowds) {
      for (double share : surgeShares) {
        for (Novelty n : novelties) {
          cells.add(new SweepCell(new SurgeKind.Crowd(), share, n, seed + cells.size()));
        }
      }
    }
    for (DifferingDimension d : dimensions) {
      for (double ratio : rateRatios) {
        for (double share : surgeShares) {
          for (Novelty n : novelties) {
            cells.add(new SweepCell(new SurgeKind.Botnet(d, ratio), share, n, seed + cells.size()));
          }
        }
      }
    }
    return cells;
  }

  /** The cell's scenario; an invalid one is a bug of this family, not an input error. */
  public Scenario scenario(SweepCell cell) {
    double extra = extraRate(cell.surgeShare());
    List<Phase> phases = new ArrayList<>();
    List<Attack> attacks = new ArrayList<>();
    if (cell.kind() instanceof SurgeKind.Botnet b) {
      phases.add(new Phase.Steady("steady", duration()));
      double perSource = MEAN_CLIENT_RATE * b.rateRatio();
      TrafficProfile profile = botProfile(b.differs());
      if (cell.novelty() == Novelty.NEW) {
        attacks.add(attack("bots", sources(extra, perSource), perSource, SourceIdentity.NEW, profile));
      } else {
        int half = sources(extra / 2, perSource);
        attacks.add(attack("bots-new", half, perSource, SourceIdentity.NEW, profile));
        attacks.add(attack("bots-known", Math.min(half, KNOWN_CLIENTS), perSource, SourceIdentity.KNOWN, profile));
      }
    } else {
      phases.add(new Phase.Steady("baseline", baseline));
      phases.add(new Phase.FlashCrowd(CROWD_PHASE, surge, (BASE_RATE + extra) / BASE_RATE, rampUp, rampUp,
          cell.novelty() == Novelty.NEW ? 0.8 : 0.5));
      phases.add(new Phase.Steady("after", after));
    }
    TrafficProfile legitProfile = new TrafficProfile(new NetworkPool(LEGIT_PREFIXES, LEGIT_CONCENTRATION, null, null),
        new AttributePool(200, 1.1, null), new AttributePool(12, null, null), new AttributePool(40, 1.3, null), null,
        null);
    Legitimate legitimate = new Legitimate(BASE_RATE, ACTIVE_CLIENTS, KNOWN_CLIENTS, new RateDistribution.LogNormal(0.6),
        0.02, 0.01, null, phases, legitProfile);
    Scenario s = new Scenario(cell.name(), description(cell), cell.seed(), duration(), null, legitimate, attacks,
        new ModelCapacity(200.0, null), null, null);
    List<ScenarioValidator.Violation> v = ScenarioValidator.validate(s);
    if (!v.isEmpty()) {
      throw new IllegalStateException(cell.name() + ": invalid sweep scenario: " + v);
    }
    return s;
  }

  /** Extra traffic that makes {@code share} of the total: baseline × share / (1 - share). */
  static double extraRate(double share) {
    return BASE_RATE * share / (1 - share);
  }

  static int sources(double rate, double perSource) {
    return (int) Math.max(1, Math.round(rate / perSource));
  }

  private Attack attack(String name, int sources, double perSource, SourceIdentity identity, TrafficProfile profile) {
    return new Attack(name, baseline, baseline.plus(surge), sources, perSource, null, null, identity, rampUp,
        RampUpForm.JOIN, profile);
  }

  /** The population's own distributions, except the one dimension that differs. */
  static TrafficProfile botProfile(DifferingDimension differs) {
    NetworkPool shared = new NetworkPool(LEGIT_PREFIXES, LEGIT_CONCENTRATION, null, PoolValues.SHARED);
    return switch (differs) {
      case NONE -> new TrafficProfile(shared, null, null, null, null, null);
      case NETWORKS -> new TrafficProfile(new NetworkPool(20, null, null, PoolValues.OWN), null, null, null, null, null);
      case ATTRIBUTES -> new TrafficProfile(shared, new AttributePool(20, 1.0, PoolValues.OWN), null, null, null, null);
      case TIMING -> new TrafficProfile(shared, null, null, null, new Timing.Periodic(0.1), null);
      case PAYLOADS -> new TrafficProfile(shared, null, null, null, null, new PayloadShape.Shifted(0.5));
    };
  }

  private static String description(SweepCell cell) {
    return cell.kind().className() + ", surge share " + Math.round(cell.surgeShare() * 100) + " %, novelty "
        + cell.novelty().keyword();
  }
}
