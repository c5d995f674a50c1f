package dev.legitscaler.loadtest.traffic;

import dev.legitscaler.loadtest.scenario.Arrivals;
import dev.legitscaler.loadtest.scenario.Attack;
import dev.legitscaler.loadtest.scenario.Legitimate;
import dev.legitscaler.loadtest.scenario.PayloadShape;
import dev.legitscaler.loadtest.scenario.PoolValues;
import dev.legitscaler.loadtest.scenario.RampUpForm;
import dev.legitscaler.loadtest.scenario.Timing;
import dev.legitscaler.loadtest.scenario.TrafficProfile;
import dev.legitscaler.loadtest.scenario.RateDistribution;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.SourceIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The scenario's traffic as a pure, deterministic function of (scenario, seed, scenario time): which
 * client sends a request when, valid or not, attack or legitimate. No clock, no I/O: an offline
 * evaluator drives it in simulated time ({@link #eventsBetween}) and the generator paces the same events
 * onto Kafka in real time.
 *
 * <p>Time is cut into {@link #SLOT} slots. Each (slot, stream) draws its events from its own random
 * generator seeded by a hash of (seed, slot, stream), so any window can be produced independently, in
 * any order and in any chunking, and always yields the same events. Streams are the returning and the
 * new legitimate clients and one per attack; request counts per slot follow the rate at the slot's
 * midpoint (exact for steps and ramps aligned on the slot grid).
 */
public final class TrafficModel {

  /** Granularity of the rate function; events inside a slot get random times. */
  public static final Duration SLOT = Duration.ofMillis(100);

  private static final long SLOT_NANOS = SLOT.toNanos();
  private static final long STREAM_RETURNING = 0;
  private static final long STREAM_NEW = 1;
  private static final long FIRST_ATTACK_STREAM = 16;
  private static final long KNOWN_POOL = 1;
  private static final long NEW_POOL = 2;
  private static final long ATTACK_POOL = 1000;
  private static final long LEGIT_NETWORKS = 7;
  private static final long ATTACK_NETWORKS = 5000;

  private final Scenario scenario;
  private final long seed;
  private final double rateMultiplier;
  private final Legitimate legitimate;
  private final LoadTimeline timeline;
  private final ClientPool known;
  private final ClientPool fresh;
  private final List<AttackSources> attacks = new ArrayList<>();
  private final Wire legitWire;
  private final long durationNanos;

  private TrafficModel(Scenario scenario, long seed, double rateMultiplier) {
    this.scenario = scenario;
    this.seed = seed;
    this.rateMultiplier = rateMultiplier;
    this.legitimate = scenario.legitimate();
    this.timeline = new LoadTimeline(legitimate);
    this.durationNanos = scenario.duration().toNanos();
    RateDistribution shape = legitimate.ratePerClientOrDefault();
    TrafficProfile profile = legitimate.profileOrDefault();
    AddressSpace legitAddresses = AddressSpace.of(seed, LEGIT_NETWORKS, profile.networks());
    known = new ClientPool(seed, KNOWN_POOL, legitimate.knownClientsOrDefault(), shape, legitAddresses);
    fresh = new ClientPool(seed, NEW_POOL, maxNewClients(), shape, legitAddresses);
    legitWire = new Wire(
        profile.userAgents() == null ? null : new AttributeValues(seed, AttributeValues.Kind.USER_AGENT,
            profile.userAgents(), null),
        profile.paths() == null ? null : new AttributeValues(seed, AttributeValues.Kind.PATH, profile.paths(), null),
        profile.tlsFingerprints() == null ? null : new AttributeValues(seed, AttributeValues.Kind.TLS,
            profile.tlsFingerprints(), null),
        profile.payloadOrDefault());
    for (int i = 0; i < scenario.attacks().size(); i++) {
      attacks.add(new AttackSources(scenario.attacks().get(i), i));
    }
  }

  /** The scenario's traffic with its own seed. */
  public static TrafficModel of(Scenario scenario) {
    return new TrafficModel(scenario, scenario.seedOrDefault(), 1.0);
  }

  /** The scenario's traffic with another seed and every rate multiplied by {@code rateMultiplier}. */
  public static TrafficModel of(Scenario scenario, long seed, double rateMultiplier) {
    if (!(rateMultiplier > 0)) {
      throw new IllegalArgumentException("rateMultiplier must be > 0, was " + rateMultiplier);
    }
    return new TrafficModel(scenario, seed, rateMultiplier);
  }

  public Scenario scenario() {
    return scenario;
  }

  public long seed() {
    return seed;
  }

  public Duration duration() {
    return Duration.ofNanos(durationNanos);
  }

  /** Every request with {@code from <= at < to} (scenario time, clipped to the scenario), in time order. */
  public Stream<TrafficEvent> eventsBetween(Duration from, Duration to) {
    return eventsBetween(from.toNanos(), to.toNanos());
  }

  public Stream<TrafficEvent> eventsBetween(long fromNanos, long toNanos) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(fromNanos, toNanos),
        Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE), false);
  }

  /** The same as {@link #eventsBetween} as an iterator that produces one slot at a time. */
  public Iterator<TrafficEvent> iterator(long fromNanos, long toNanos) {
    long from = Math.max(0, fromNanos);
    long to = Math.min(durationNanos, toNanos);
    return new Iterator<>() {
      long slot = Math.floorDiv(from, SLOT_NANOS);
      final long lastSlot = Math.floorDiv(Math.max(from, to - 1), SLOT_NANOS);
      List<TrafficEvent> buffer = List.of();
      int next;

      @Override
      public boolean hasNext() {
        while (next >= buffer.size()) {
          if (slot > lastSlot || from >= to) {
            return false;
          }
          buffer = eventsInSlot(slot++);
          next = 0;
          while (next < buffer.size() && buffer.get(next).atNanos() < from) {
            next++;
          }
          if (!buffer.isEmpty() && buffer.get(buffer.size() - 1).atNanos() >= to) {
            int end = buffer.size();
            while (end > next && buffer.get(end - 1).atNanos() >= to) {
              end--;
            }
            buffer = buffer.subList(0, end);
          }
        }
        return true;
      }

      @Override
      public TrafficEvent next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return buffer.get(next++);
      }
    };
  }

  /** Expected legitimate requests per second of scenario time at {@code t}. */
  public double legitimateRateAt(Duration t) {
    return legitimateRate(t.toNanos());
  }

  /** Expected attack requests per second at {@code t}, all attacks together. */
  public double attackRateAt(Duration t) {
    double sum = 0;
    for (AttackSources a : attacks) {
      sum += a.rate(t.toNanos());
    }
    return sum;
  }

  /** Expected requests per second at {@code t}. */
  public double rateAt(Duration t) {
    return legitimateRateAt(t) + attackRateAt(t);
  }

  /** The legitimate phase at {@code t}. */
  public String phaseAt(Duration t) {
    return timeline.phaseAt(t.toNanos());
  }

  /** Legitimate clients active at {@code t} (returning + new). */
  public double activeLegitimateClientsAt(Duration t) {
    return legitimate.activeClients() * timeline.levelAt(t.toNanos());
  }

  /** Identity of known (returning) client {@code i}: what a scorer may have in its history. */
  public String knownClientId(int i) {
    return known.id(i);
  }

  public int knownClientCount() {
    return known.size();
  }

  private double legitimateRate(long nanos) {
    if (nanos < 0 || nanos >= durationNanos) {
      return 0;
    }
    return legitimate.rate() * timeline.levelAt(nanos) * rateMultiplier;
  }

  /** Events of one slot, sorted by time then id. */
  List<TrafficEvent> eventsInSlot(long slot) {
    long start = slot * SLOT_NANOS;
    long mid = start + SLOT_NANOS / 2;
    if (mid >= durationNanos && start >= durationNanos) {
      return List.of();
    }
    double seconds = SLOT_NANOS / 1e9;
    SlotEvents slotEvents = new SlotEvents();

    // legitimate: n clients active; the returning ones are a prefix of the known pool, the rest new
    double level = timeline.levelAt(mid);
    double clients = legitimate.activeClients() * level;
    double newShare = timeline.newClientShareAt(mid);
    double returning = Math.min(known.size(), clients * (1 - newShare));
    double newcomers = Math.max(0, clients - returning);
    double legitRate = legitimateRate(mid);
    if (clients > 0 && legitRate > 0) {
      double invalid = legitimate.invalidShareOrDefault();
      int activeReturning = (int) Math.ceil(returning);
      int activeNew = (int) Math.ceil(newcomers);
      emit(slotEvents, slot, STREAM_RETURNING, legitRate * returning / clients * seconds, -1, invalid,
          random -> known.pick(activeReturning, random), legitWire);
      emit(slotEvents, slot, STREAM_NEW, legitRate * newcomers / clients * seconds, -1, invalid,
          random -> fresh.pick(activeNew, random), legitWire);
    }
    for (AttackSources a : attacks) {
      double rate = a.rate(mid);
      if (rate > 0) {
        if (a.periodic != null) {
          a.emitPeriodic(slotEvents, slot, start);
        } else {
          int active = a.activeSources(mid);
          emit(slotEvents, slot, FIRST_ATTACK_STREAM + a.index, rate * seconds, a.index,
              a.attack.invalidShareOrDefault(), random -> a.pick(active, random), a.wire);
        }
      }
    }
    return slotEvents.sorted(slot, start, timeline.phaseAt(mid));
  }

  private interface ClientChooser {
    String choose(SplittableRandom random);
  }

  /** How a stream's requests look on the wire besides their client: attribute pools and payload shape. */
  private record Wire(AttributeValues userAgents, AttributeValues paths, AttributeValues tls, PayloadShape payload) {}

  private void emit(SlotEvents out, long slot, long stream, double expected, int attackIndex, double invalidShare,
      ClientChooser chooser, Wire wire) {
    if (expected <= 0) {
      return;
    }
    SplittableRandom random = new SplittableRandom(Mixing.mix(seed, slot, stream));
    int count = legitimate.arrivalsOrDefault() == Arrivals.EVEN
        ? (int) Math.floor(expected + random.nextDouble())
        : poisson(expected, random);
    for (int i = 0; i < count; i++) {
      long offset = (long) (random.nextDouble() * SLOT_NANOS);
      String client = chooser.choose(random);
      boolean valid = random.nextDouble() >= invalidShare;
      String path = wire.paths == null ? null : wire.paths.draw(random.nextDouble());
      out.add(offset, client, valid, attackIndex, path, wire);
    }
  }

  /**
   * The events of one slot in generation order, as parallel arrays; sorted by (time, sequence) through
   * one primitive sort of packed keys rather than an object sort: this runs for every event.
   */
  private final class SlotEvents {
    private static final int MAX_PER_SLOT = 1 << 20;
    private long[] offsets = new long[256];
    private String[] clients = new String[256];
    private boolean[] valid = new boolean[256];
    private int[] attackIndex = new int[256];
    private String[] paths = new String[256];
    private Wire[] wires = new Wire[256];
    private int size;

    void add(long offset, String client, boolean isValid, int attack, String path, Wire wire) {
      if (size == offsets.length) {
        if (size == MAX_PER_SLOT) {
          throw new IllegalStateException("more than " + MAX_PER_SLOT + " requests in one " + SLOT.toMillis()
              + " ms slot: rates above ~10 million/s are not supported");
        }
        int n = Math.min(MAX_PER_SLOT, size * 2);
        offsets = java.util.Arrays.copyOf(offsets, n);
        clients = java.util.Arrays.copyOf(clients, n);
        valid = java.util.Arrays.copyOf(valid, n);
        attackIndex = java.util.Arrays.copyOf(attackIndex, n);
        paths = java.util.Arrays.copyOf(paths, n);
        wires = java.util.Arrays.copyOf(wires, n);
      }
      offsets[size] = offset;
      clients[size] = client;
      valid[size] = isValid;
      attackIndex[size] = attack;
      paths[size] = path;
      wires[size] = wire;
      size++;
    }

    List<TrafficEvent> sorted(long slot, long slotStart, String phase) {
      long[] keys = new long[size];
      for (int i = 0; i < size; i++) {
        keys[i] = (offsets[i] << 24) | i; // offset < 2^27 ns, sequence < 2^20: fits, and ties keep sequence order
      }
      java.util.Arrays.sort(keys);
      TrafficEvent[] events = new TrafficEvent[size];
      for (int k = 0; k < size; k++) {
        int i = (int) (keys[k] & 0xFFFFFF);
        int a = attackIndex[i];
        Wire w = wires[i];
        String client = clients[i];
        String address = a < 0 ? null : attacks.get(a).sendsFrom.get(client);
        events[k] = new TrafficEvent(slotStart + offsets[i], (slot << 20) | i, client, address, valid[i], phase,
            a < 0 ? TrafficEvent.LEGITIMATE : attacks.get(a).attack.name(), a >= 0,
            w.userAgents == null ? null : w.userAgents.forClient(client), paths[i],
            w.tls == null ? null : w.tls.forClient(client), w.payload);
      }
      return java.util.Arrays.asList(events);
    }
  }

  /** Poisson draw: exact (Knuth) for small means, normal approximation for large ones. */
  static int poisson(double mean, SplittableRandom random) {
    if (mean < 30) {
      double limit = Math.exp(-mean);
      double product = random.nextDouble();
      int k = 0;
      while (product > limit) {
        product *= random.nextDouble();
        k++;
      }
      return k;
    }
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    double gaussian = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian));
  }

  /** Largest number of new clients active at once, so the new pool can be built up front. */
  private int maxNewClients() {
    double max = 1;
    int known = legitimate.knownClientsOrDefault();
    for (long t = SLOT_NANOS / 2; t < durationNanos; t += SLOT_NANOS) {
      double clients = legitimate.activeClients() * timeline.levelAt(t);
      double returning = Math.min(known, clients * (1 - timeline.newClientShareAt(t)));
      max = Math.max(max, clients - returning);
    }
    return (int) Math.ceil(max) + 1;
  }

  /** One attack's rate function and source identities. */
  private final class AttackSources {
    final Attack attack;
    final int index;
    final String[] sources;
    // identity -> the address it sends from, for known identities used from the attack's own networks
    final java.util.Map<String, String> sendsFrom = new java.util.HashMap<>();
    final Wire wire;
    final Timing.Periodic periodic;

    AttackSources(Attack attack, int index) {
      this.attack = attack;
      this.index = index;
      TrafficProfile profile = attack.profileOrDefault();
      String own = attack.name();
      // a kind the attack does not describe looks like the legitimate population's (mimicry by default)
      wire = new Wire(
          profile.userAgents() == null ? legitWire.userAgents
              : new AttributeValues(seed, AttributeValues.Kind.USER_AGENT, profile.userAgents(), own),
          profile.paths() == null ? legitWire.paths
              : new AttributeValues(seed, AttributeValues.Kind.PATH, profile.paths(), own),
          profile.tlsFingerprints() == null ? legitWire.tls
              : new AttributeValues(seed, AttributeValues.Kind.TLS, profile.tlsFingerprints(), own),
          profile.payloadOrDefault());
      periodic = profile.timingOrDefault() instanceof Timing.Periodic p ? p : null;
      AddressSpace addresses = profile.networks() == null ? AddressSpace.random()
          : AddressSpace.of(seed, profile.networks().valuesOrDefault()
              == PoolValues.SHARED ? LEGIT_NETWORKS : ATTACK_NETWORKS + index,
              profile.networks());
      sources = new String[attack.sources()];
      if (attack.identityOrDefault() == SourceIdentity.KNOWN) {
        // spread over the known pool (returning and dormant clients alike), no repeats
        int k = known.size();
        long stride = k % 7919 == 0 ? 104_729 : 7919;
        long offset = Long.remainderUnsigned(Mixing.mix(seed, ATTACK_POOL + index, -1), k);
        for (int j = 0; j < sources.length; j++) {
          sources[j] = known.id((int) ((offset + j * stride) % k));
          // hijacked identities keep their name but send from the attack's networks when it has its own
          if (profile.networks() != null && profile.networks().valuesOrDefault() != PoolValues.SHARED) {
            sendsFrom.put(sources[j], addresses.address(Mixing.mix(seed, ATTACK_POOL + index, j)));
          }
        }
      } else {
        for (int j = 0; j < sources.length; j++) {
          sources[j] = addresses.address(Mixing.mix(seed, ATTACK_POOL + index, j));
        }
      }
    }

    double rate(long nanos) {
      long start = attack.start().toNanos();
      long end = attack.end().toNanos();
      if (nanos < start || nanos >= end || nanos >= durationNanos) {
        return 0;
      }
      long since = nanos - start;
      long rampUp = attack.rampUpOrDefault().toNanos();
      double ramp = rampUp > 0 && since < rampUp ? since / (double) rampUp : 1.0;
      return attack.sources() * attack.ratePerSource() * attack.patternOrDefault().factorAt(since) * ramp
          * rateMultiplier;
    }

    /**
     * Sources sending at {@code nanos}: all of them with {@code rampUpForm: rate} (each one's rate ramps);
     * a linearly growing prefix with {@code join} (each at full rate from the moment it joins).
     */
    int activeSources(long nanos) {
      long rampUp = attack.rampUpOrDefault().toNanos();
      long since = nanos - attack.start().toNanos();
      if (attack.rampUpFormOrDefault() != RampUpForm.JOIN || rampUp <= 0 || since >= rampUp) {
        return sources.length;
      }
      return (int) Math.max(1, Math.min(sources.length, Math.ceil(sources.length * (since / (double) rampUp))));
    }

    String pick(int active, SplittableRandom random) {
      return sources[random.nextInt(Math.max(1, Math.min(active, sources.length)))];
    }

    /**
     * Periodic sources: source j sends at start + phase_j + k / r, each request moved by a uniform jitter
     * of up to ± jitter / 2 periods; r is the source's rate. A ramp of the rate form and a pulsing pattern
     * thin the schedule (a request is kept with the ramp × pattern factor at its time), so the per-slot
     * generation stays a pure function of (seed, slot, source).
     */
    void emitPeriodic(SlotEvents out, long slot, long slotStart) {
      double perSource = attack.ratePerSource() * rateMultiplier;
      long period = Math.max(1, (long) (1e9 / perSource));
      double jitter = periodic.jitterOrDefault();
      long start = attack.start().toNanos();
      long slotEnd = slotStart + SLOT_NANOS;
      long reach = (long) (jitter * period / 2) + 1;
      int active = activeSources(slotStart + SLOT_NANOS / 2);
      long rampUp = attack.rampUpOrDefault().toNanos();
      boolean rateRamp = attack.rampUpFormOrDefault() == RampUpForm.RATE && rampUp > 0;
      double invalidShare = attack.invalidShareOrDefault();
      for (int j = 0; j < active; j++) {
        long h = Mixing.mix(seed, ATTACK_POOL + index, j);
        long phase = (long) (Mixing.unit(Mixing.mix(h + 3)) * period);
        long firstK = Math.max(0, Math.floorDiv(slotStart - reach - start - phase, period));
        for (long k = firstK; ; k++) {
          long nominal = start + phase + k * period;
          if (nominal - reach >= slotEnd) {
            break;
          }
          long draw = Mixing.mix(h, k, 11);
          long at = nominal + (long) ((Mixing.unit(draw) - 0.5) * jitter * period);
          if (at < slotStart || at >= slotEnd || at < start || at >= attack.end().toNanos() || at >= durationNanos) {
            continue;
          }
          long since = at - start;
          double keep = attack.patternOrDefault().factorAt(since)
              * (rateRamp && since < rampUp ? since / (double) rampUp : 1.0);
          double u = Mixing.unit(Mixing.mix(draw + 1));
          if (u >= keep) {
            continue;
          }
          boolean valid = Mixing.unit(Mixing.mix(draw + 2)) >= invalidShare;
          String path = wire.paths == null ? null : wire.paths.draw(Mixing.unit(Mixing.mix(draw + 3)));
          out.add(at - slotStart, sources[j], valid, index, path, wire);
        }
      }
    }
  }
}
