package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.generate.Generator;
import dev.legitscaler.loadtest.generate.GeneratorReport;
import dev.legitscaler.loadtest.scenario.ScenarioDurations;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The run itself, the same for every {@link Environment}: the scenario clock starts with the traffic,
 * the environment starts scaling on it, the {@link Sampler} records a row every scenario second (its
 * Prometheus half at most twice per wall second) and a live line every 5 s, and the generator plays the scenario's traffic
 * into the environment's Kafka.
 */
final class RunLoop {
  /** What the run recorded. */
  record Recorded(List<Sample> samples, GeneratorReport traffic, ScenarioClock clock, PlatformCpu cpu) {}

  private final TrafficModel model;
  private final double timeScale;
  private final String topic;
  private final PrintStream say;
  private volatile Double achievedWallRate;

  RunLoop(TrafficModel model, double timeScale, String topic, PrintStream say) {
    this.model = model;
    this.timeScale = timeScale;
    this.topic = topic;
    this.say = say;
  }

  Recorded run(Environment env) throws InterruptedException {
    List<Sample> samples = new CopyOnWriteArrayList<>();
    Sampler sampler = new Sampler(env, new MetricsReader(), timeScale);
    ScenarioClock clock = new ScenarioClock(timeScale, System::nanoTime, Instant.now());
    env.startScaling(clock, say);
    ScheduledExecutorService loops = Executors.newScheduledThreadPool(3, r -> {
      Thread t = new Thread(r, "run-loops");
      t.setDaemon(true);
      return t;
    });
    env.processes().add(loops::shutdownNow);
    // Prometheus (several queries) at most twice per wall second; the scaler's own series and the
    // replicas every scenario second when they come from the environment itself, so that a replica
    // change or the attack flag is dated to the second, as in the offline rows, not to 3 s at scale 6
    long observeEvery = Math.max(500, Math.round(1000 / timeScale));
    long sampleEvery = sampler.fastWithoutPrometheus() ? Math.max(100, Math.round(1000 / timeScale)) : observeEvery;
    AtomicReference<Sampler.Observed> observed = new AtomicReference<>(Sampler.Observed.NONE);
    loops.scheduleAtFixedRate(guard(() -> observed.set(sampler.observe())), 0, observeEvery, TimeUnit.MILLISECONDS);
    loops.scheduleAtFixedRate(guard(() -> samples.add(sampler.sample(clock.seconds(), achievedWallRate, observed.get()))),
        0, sampleEvery, TimeUnit.MILLISECONDS);
    loops.scheduleAtFixedRate(guard(() -> liveLine(samples)), 5, 5, TimeUnit.SECONDS);
    say.println("run: traffic: " + model.scenario().name() + " -> " + env.addresses().kafka() + " topic " + topic + " ("
        + ScenarioDurations.format(model.duration()) + " scenario time, "
        + ScenarioDurations.format(clock.wall(model.duration())) + " wall) ...");
    // the platform's own CPU from the first to the last generated second; read every 5 s as well, so
    // that a replica scaled down during the traffic keeps its CPU up to its last reading
    PlatformCpuProbe probe = PlatformCpuProbe.system();
    PlatformCpu.Snapshot cpuStart = probe.take();
    AtomicReference<PlatformCpu.Snapshot> cpuSeen = new AtomicReference<>(cpuStart);
    loops.scheduleAtFixedRate(guard(() -> cpuSeen.updateAndGet(seen -> seen.then(probe.take()))), 5, 5, TimeUnit.SECONDS);
    GeneratorReport report = generate(env);
    loops.shutdownNow();
    loops.awaitTermination(10, TimeUnit.SECONDS);
    PlatformCpu cpu = PlatformCpu.between(cpuStart, cpuSeen.get().then(probe.take()), PlatformCpuProbe.cores());
    say.printf(Locale.ROOT, "run: platform CPU during the traffic: %.1f s over %.0f s wall = %.2f of %d cores%n",
        cpu.totalCpuSeconds(), cpu.wallSeconds(), cpu.totalCores(), cpu.cores());
    say.printf(Locale.ROOT, "run: traffic done: sent=%d acked=%d errors=%d%n", report.sent(), report.acked(), report.errorCount());
    return new Recorded(List.copyOf(samples), report, clock, cpu);
  }

  private GeneratorReport generate(Environment env) {
    Properties props = Generator.producerProperties(env.addresses().kafka());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      Generator generator = new Generator(model, timeScale, model.duration(), producer, topic, MonotonicClock.SYSTEM,
          Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(1), p -> achievedWallRate = p.achievedRate());
      // Ctrl-C: the group's shutdown hook stops the generator before the processes
      env.processes().add(generator::stop);
      return generator.run();
    }
  }

  private void liveLine(List<Sample> samples) {
    if (samples.isEmpty()) {
      return;
    }
    Sample s = samples.get(samples.size() - 1);
    Duration t = Duration.ofSeconds((long) s.t());
    Duration at = t.compareTo(model.duration()) < 0 ? t : model.duration().minusSeconds(1);
    say.printf(Locale.ROOT, "  t=%-7s %-12s rate=%6.0f/s achieved=%6s/s replicas=%s load_max=%s score=%s attack=%s lag=%s firing=%s%n",
        ScenarioDurations.format(t), model.phaseAt(at), model.rateAt(at), RunOutput.fmt(s.achievedRate()), s.replicas(),
        RunOutput.fmt(s.loadMax()), RunOutput.fmt(s.legitimacyScore()), RunOutput.fmt(s.attackSuspected()),
        RunOutput.fmt(s.lag()), s.firingAlerts() == null ? "-" : s.firingAlerts().keySet());
  }

  private static Runnable guard(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        // a failing sample must not cancel its periodic task
        System.err.println("run: " + e);
      }
    };
  }
}
