package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.Trigger;
import dev.legitscaler.loadtest.platform.ProcessGroup;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An environment that already runs (a cluster): nothing is started but the workers when the traffic
 * goes to an HTTP model; the cluster's own KEDA and HPA scale the target, and every signal is read from
 * its Prometheus. Its alerts are read from Prometheus too; Alertmanager's URL is only recorded.
 */
final class ExistingEnvironment implements Environment {
  private final ScaledObject so;
  private final Addresses addresses;
  private final Optional<String> alertmanagerUrl;
  private final Optional<String> targetUrl;
  private final ProcessGroup pg = new ProcessGroup();

  private ExistingEnvironment(ScaledObject so, Addresses addresses, Optional<String> alertmanagerUrl,
      Optional<String> targetUrl) {
    this.so = so;
    this.addresses = addresses;
    this.alertmanagerUrl = alertmanagerUrl;
    this.targetUrl = targetUrl;
  }

  static ExistingEnvironment connect(ScaledObject so, String kafka, String prometheus, Optional<String> alertmanagerUrl,
      Optional<String> targetUrl, Path out, int workersConcurrency, PrintStream say) throws Exception {
    ExistingEnvironment env = new ExistingEnvironment(so, new Addresses(kafka, prometheus, Optional.empty()),
        alertmanagerUrl, targetUrl);
    try {
      if (targetUrl.isPresent()) {
        Trigger trigger = so.triggers().get(0);
        WorkersProcess.start(env.pg, out, kafka, trigger.metadata().getOrDefault("topic", "model-requests"),
            trigger.metadata().getOrDefault("consumerGroup", "model"), targetUrl.get(), workersConcurrency, say);
      }
      return env;
    } catch (Exception | Error e) {
      env.close();
      throw e;
    }
  }

  @Override
  public String mode() {
    return "existing";
  }

  @Override
  public Addresses addresses() {
    return addresses;
  }

  @Override
  public ScaledObject scaledObject() {
    return so;
  }

  @Override
  public ProcessGroup processes() {
    return pg;
  }

  @Override
  public void startScaling(ScenarioClock clock, PrintStream say) {
    // the cluster's KEDA operator and HPA controller already run
  }

  @Override
  public OptionalInt specReplicas() {
    return OptionalInt.empty();
  }

  @Override
  public boolean alerting() {
    return true;
  }

  @Override
  public Optional<Integer> notificationCount() {
    return Optional.empty();
  }

  @Override
  public List<Notification> notifications(ScenarioClock clock) {
    return List.of();
  }

  @Override
  public Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kafka", addresses.kafka());
    p.put("prometheus", addresses.prometheus());
    alertmanagerUrl.ifPresent(u -> p.put("alertmanager", u));
    targetUrl.ifPresent(u -> p.put("targetUrl", u));
    return p;
  }

  @Override
  public void close() {
    pg.close();
  }
}
