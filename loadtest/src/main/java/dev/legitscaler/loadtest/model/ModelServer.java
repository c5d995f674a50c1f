package dev.legitscaler.loadtest.model;

import com.sun.net.httpserver.HttpServer;
import dev.legitscaler.loadtest.clock.MonotonicClock;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of the reference model service: Kafka consumer loop (optional), HTTP {@code /predict},
 * {@code /metrics}, {@code /healthz}, worker slots and the saturation meter. Several instances can run
 * in one JVM or on one machine; nothing is static.
 */
public final class ModelServer implements AutoCloseable {

  private static final Duration MAX_SAMPLE_EVERY = Duration.ofMillis(250);

  private final ModelServerConfig config;
  private final WorkerSlots slots;
  private final SaturationMeter saturation;
  private final ModelMetrics metrics;
  private final HttpServer http;
  private final ExecutorService httpThreads;
  private final ScheduledExecutorService sampler;
  private final KafkaRequestLoop loop;
  private final Thread loopThread;

  private ModelServer(ModelServerConfig config, Clock wallClock, MonotonicClock clock) throws IOException {
    this.config = config;
    slots = new WorkerSlots(config.slots(), clock);
    // ten samples per window at least, so that a time-scaled (short) window is not a single step
    Duration sampleEvery = Duration.ofNanos(Math.max(10_000_000L,
        Math.min(MAX_SAMPLE_EVERY.toNanos(), config.saturationWindow().toNanos() / 10)));
    saturation = new SaturationMeter(slots, config.saturationWindow(), sampleEvery);
    metrics = new ModelMetrics(saturation::ratio);
    ModelService service = new ModelService(config.model(), config.serviceTime(), slots, metrics, wallClock);
    sampler = Executors.newSingleThreadScheduledExecutor(daemon(config.instanceName() + "-saturation"));
    sampler.scheduleAtFixedRate(saturation::sample, sampleEvery.toNanos(), sampleEvery.toNanos(),
        TimeUnit.NANOSECONDS);
    httpThreads = Executors.newFixedThreadPool(Math.max(16, config.slots() * 4), daemon(config.instanceName() + "-http"));
    http = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 256);
    http.createContext("/predict", new PredictEndpoint(service, slots));
    http.createContext("/metrics", new MetricsHandler(metrics.registry()));
    http.createContext("/healthz", exchange -> {
      byte[] ok = "ok\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, ok.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(ok);
      }
    });
    http.setExecutor(httpThreads);
    http.start();
    if (config.bootstrapServers() != null) {
      loop = new KafkaRequestLoop(config, service, slots);
      loopThread = new Thread(loop, config.instanceName() + "-consumer");
      loopThread.start();
    } else {
      loop = null;
      loopThread = null;
    }
  }

  /** Starts an instance; returns once HTTP is listening (the consumer joins its group in the background). */
  public static ModelServer start(ModelServerConfig config, Clock wallClock, MonotonicClock clock) throws IOException {
    return new ModelServer(config, wallClock, clock);
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public ModelMetrics metrics() {
    return metrics;
  }

  public double saturation() {
    return saturation.ratio();
  }

  public ModelServerConfig config() {
    return config;
  }

  /** The one line printed at start-up, {@code key=value} pairs, for scripts that start instances. */
  public String readyLine() {
    return "model-server ready instance=" + config.instanceName() + " port=" + port()
        + " predict=http://" + config.bindAddress() + ":" + port() + "/predict"
        + " metrics=http://" + config.bindAddress() + ":" + port() + "/metrics"
        + " slots=" + config.slots()
        + " service_time_ms=" + String.format(java.util.Locale.ROOT, "%.3f", config.serviceTime().toNanos() / 1e6)
        + " capacity_rps=" + Math.round(config.capacityPerSecond())
        + " time_scale=" + String.format(java.util.Locale.ROOT, "%s", config.timeScale())
        + " commit_interval_ms=" + String.format(java.util.Locale.ROOT, "%.3f", config.commitInterval().toNanos() / 1e6)
        + (config.bootstrapServers() == null ? "" : " topic=" + config.topic() + " group=" + config.groupId());
  }

  /** Graceful stop: the records the consumer handed out are served and committed, then HTTP stops. */
  @Override
  public void close() {
    try {
      if (loop != null) {
        loop.stop(Duration.ofSeconds(30));
        loopThread.join(Duration.ofSeconds(5).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.stop(0);
    httpThreads.shutdownNow();
    sampler.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
