package dev.legitscaler.scaler.grpc;

import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricSpecResponse;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.GetMetricsResponse;
import dev.legitscaler.proto.externalscaler.IsActiveResponse;
import dev.legitscaler.proto.externalscaler.MetricSpec;
import dev.legitscaler.proto.externalscaler.MetricValue;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.BackendDeniedException;
import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.source.ScalerConfig;
import dev.legitscaler.scaler.text.SafeText;
import dev.legitscaler.scaler.config.WatchKey;
import dev.legitscaler.scaler.watch.Registry;
import dev.legitscaler.scaler.watch.Snapshot;
import dev.legitscaler.scaler.watch.Watch;
import dev.legitscaler.scaler.watch.WatchRefusedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * KEDA's externalscaler.ExternalScaler. Thin: every handler finds the trigger's Watch and reads its
 * latest snapshot; no handler does backend I/O. GetMetricSpec is derived from the parsed metadata only.
 *
 * <p>Two paths. A ref seen before whose Watch exists is answered where the call arrives (the transport
 * thread: the server runs with a direct executor), two map lookups and a snapshot read, without a hand-off
 * to another thread. Everything else (validating the names, sizing, hashing and parsing the metadata,
 * creating the Watch under the server's limits) runs on {@code slowPath}, so a tenant's new or malformed
 * trigger never holds a transport thread.
 */
public final class ExternalScalerService extends ExternalScalerGrpc.ExternalScalerImplBase {
  /**
   * Distinct ScaledObjectRefs remembered per allowed watch: room for every watch's ref plus as many
   * edited ones, so a cluster at --max-watches does not empty the cache on every pass of KEDA's polls.
   */
  private static final int KEY_CACHE_REFS_PER_WATCH = 2;

  private final Registry registry;
  private final Clock clock;
  private final Duration firstRefreshWait;
  private final Set<Runnable> openStreams = ConcurrentHashMap.newKeySet();
  private final WatchKeyCache keys;
  private final Executor slowPath;

  public ExternalScalerService(Registry registry, Clock clock, Duration firstRefreshWait, Executor slowPath) {
    this.registry = registry;
    this.clock = clock;
    this.firstRefreshWait = firstRefreshWait;
    this.keys = keyCacheFor(registry.limits());
    this.slowPath = slowPath;
  }

  /** The handlers' key cache for a server with {@code limits}. */
  static WatchKeyCache keyCacheFor(ServerLimits limits) {
    return new WatchKeyCache(KEY_CACHE_REFS_PER_WATCH * limits.maxWatches());
  }

  @Override
  public void getMetricSpec(ScaledObjectRef ref, StreamObserver<GetMetricSpecResponse> out) {
    withWatch(ref, out, w -> {
      out.onNext(spec(w.config()));
      out.onCompleted();
    });
  }

  @Override
  public void getMetrics(GetMetricsRequest req, StreamObserver<GetMetricsResponse> out) {
    withWatch(req.getScaledObjectRef(), out, w -> {
      checkMetricName(w.config(), req.getMetricName());
      String name = req.getMetricName().isEmpty() ? w.config().metricName() : req.getMetricName();
      whenReady(w, out, s -> {
        out.onNext(GetMetricsResponse.newBuilder()
            .addMetricValues(MetricValue.newBuilder().setMetricName(name)
                .setMetricValue(s.result().value()).setMetricValueFloat(s.result().valueFloat()))
            .build());
        out.onCompleted();
      });
    });
  }

  @Override
  public void isActive(ScaledObjectRef ref, StreamObserver<IsActiveResponse> out) {
    withWatch(ref, out, w -> whenReady(w, out, s -> {
      out.onNext(IsActiveResponse.newBuilder().setResult(s.result().active()).build());
      out.onCompleted();
    }));
  }

  /** Sends {@code true} on every inactive→active edge (each {@code true} resets KEDA's cooldown). */
  @Override
  public void streamIsActive(ScaledObjectRef ref, StreamObserver<IsActiveResponse> out) {
    OpenStream<IsActiveResponse> stream = new OpenStream<>(out);
    withWatch(ref, out, w -> {
      boolean[] wasActive = {false};
      java.time.Instant[] seen = {java.time.Instant.MIN};
      Consumer<Snapshot> onSnapshot = s -> {
        boolean active = w.servable(s, clock.instant()) && s.result().active();
        synchronized (stream.lock) {
          if (stream.done || s.decidedAt().isBefore(seen[0])) {
            return; // closed, or an older snapshot delivered after a newer one
          }
          seen[0] = s.decidedAt();
          if (active && !wasActive[0]) {
            out.onNext(IsActiveResponse.newBuilder().setResult(true).build());
          }
          wasActive[0] = active;
        }
      };
      stream.keepOpen(w.subscribe(onSnapshot));
      w.current().ifPresent(onSnapshot);
    });
  }

  /** Sends the current spec at once; the spec depends on the metadata only, so it never changes. */
  @Override
  public void streamMetricSpec(ScaledObjectRef ref, StreamObserver<GetMetricSpecResponse> out) {
    OpenStream<GetMetricSpecResponse> stream = new OpenStream<>(out);
    withWatch(ref, out, w -> {
      // the subscription keeps the Watch from expiring while KEDA holds the stream
      stream.keepOpen(w.subscribe(s -> { }));
      synchronized (stream.lock) {
        out.onNext(spec(w.config()));
      }
    });
  }

  /** Refs whose WatchKey is cached (tests: rejected requests must never be kept). */
  int cachedKeys() {
    return keys.size();
  }

  /** Ends every open stream (graceful shutdown: KEDA reconnects to another replica). */
  public void completeStreams() {
    for (Runnable r : openStreams) {
      openStreams.remove(r);
      r.run();
    }
  }

  static GetMetricSpecResponse spec(ScalerConfig c) {
    double target = c.target();
    return GetMetricSpecResponse.newBuilder()
        .addMetricSpecs(MetricSpec.newBuilder().setMetricName(c.metricName())
            .setTargetSize(Math.round(target)).setTargetSizeFloat(target))
        .build();
  }

  /**
   * Runs {@code then} with the trigger's Watch, or answers the call with the lookup's error status: at
   * once for a known ref, on the slow path otherwise. A StatusRuntimeException from {@code then} (a
   * metric name not served) answers the call too.
   */
  private void withWatch(ScaledObjectRef ref, StreamObserver<?> out, Consumer<Watch> then) {
    Watch known = knownWatch(ref);
    if (known != null) {
      answer(known, out, then);
      return;
    }
    try {
      slowPath.execute(() -> {
        Watch w;
        try {
          w = watch(ref);
        } catch (StatusRuntimeException e) {
          out.onError(e);
          return;
        }
        answer(w, out, then);
      });
    } catch (RejectedExecutionException e) {
      out.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
    }
  }

  private static void answer(Watch w, StreamObserver<?> out, Consumer<Watch> then) {
    try {
      then.accept(w);
    } catch (StatusRuntimeException e) {
      out.onError(e);
    }
  }

  /**
   * The Watch of a ref accepted before, still watched; else null. The key cache only holds refs that
   * passed every check (and the ref carries the namespace and name it was checked with), so nothing is
   * validated again here.
   */
  private Watch knownWatch(ScaledObjectRef ref) {
    WatchKey key = keys.cached(ref);
    if (key == null) {
      return null;
    }
    Watch w = registry.find(key).orElse(null);
    if (w != null) {
      w.touch();
    }
    return w;
  }

  private Watch watch(ScaledObjectRef ref) {
    if (ref.getName().isEmpty() || ref.getNamespace().isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("ScaledObjectRef needs name and namespace (got name '" + ref.getName() + "', namespace '"
              + ref.getNamespace() + "')")
          .asRuntimeException();
    }
    if (!KubernetesNames.isNamespace(ref.getNamespace()) || !KubernetesNames.isName(ref.getName())) {
      // names end up in logs, metrics and Explain: only what Kubernetes itself allows gets that far
      throw Status.INVALID_ARGUMENT
          .withDescription("ScaledObjectRef namespace '" + SafeText.bounded(ref.getNamespace(), 80) + "' or name '"
              + SafeText.bounded(ref.getName(), 260) + "' is not a Kubernetes name: expected a namespace of at most 63"
              + " lower-case letters, digits and '-', and a name of at most 253 lower-case letters, digits, '-'"
              + " and '.'")
          .asRuntimeException();
    }
    try {
      WatchKey cached = keys.cached(ref);
      if (cached != null) {
        return registry.watch(cached, ref.getNamespace(), ref.getName(), ref.getScalerMetadataMap());
      }
      // Size first: nothing of an oversized request is hashed, cached or parsed.
      registry.limits().checkMetadataSize(ref.getScalerMetadataMap());
      WatchKey key = WatchKeyCache.compute(ref);
      Watch w = registry.watch(key, ref.getNamespace(), ref.getName(), ref.getScalerMetadataMap());
      keys.remember(ref, key);
      return w;
    } catch (BackendDeniedException e) {
      // well-formed, but a backend the operator did not declare for this namespace
      throw Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException();
    } catch (ConfigException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    } catch (WatchRefusedException e) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
    }
  }

  private static void checkMetricName(ScalerConfig c, String requested) {
    String served = c.metricName();
    if (requested.isEmpty() || requested.equals(served) || withoutTriggerIndex(requested).equals(served)) {
      return;
    }
    throw Status.NOT_FOUND.withDescription("metric '" + requested + "' is not served for " + c.namespace() + "/"
        + c.name() + " with this metadata: expected '" + served + "' (from GetMetricSpec)")
        .asRuntimeException();
  }

  /**
   * KEDA prefixes metric names with the trigger index ("s0-") in the HPA; accept both forms. Plain
   * character checks: this runs on every GetMetrics.
   */
  static String withoutTriggerIndex(String name) {
    int i = 1;
    while (i < name.length() && name.charAt(i) >= '0' && name.charAt(i) <= '9') {
      i++;
    }
    if (name.length() > 2 && name.charAt(0) == 's' && i > 1 && i < name.length() && name.charAt(i) == '-') {
      return name.substring(i + 1);
    }
    return name;
  }

  /**
   * Runs {@code answer} with a servable snapshot, waiting up to firstRefreshWait for the first refresh;
   * otherwise fails the call with UNAVAILABLE (KEDA's fallback then engages).
   */
  private <T> void whenReady(Watch w, StreamObserver<T> out, Consumer<Snapshot> answer) {
    Snapshot current = w.latest();
    if (current != null) {
      respond(w, current, out, answer);
      return;
    }
    w.firstSnapshot().orTimeout(firstRefreshWait.toMillis(), TimeUnit.MILLISECONDS).whenComplete((s, err) -> {
      if (err != null) {
        out.onError(Status.UNAVAILABLE.withDescription(w.config().key() + ": no refresh completed within "
            + firstRefreshWait.toMillis() + " ms of the first call (warming up)").asRuntimeException());
      } else {
        respond(w, s, out, answer);
      }
    });
  }

  private <T> void respond(Watch w, Snapshot s, StreamObserver<T> out, Consumer<Snapshot> answer) {
    if (!w.servable(s, clock.instant())) {
      out.onError(Status.UNAVAILABLE.withDescription(w.config().key() + " is " + Explanations.state(w, s, clock.instant())
          + ": " + String.join("; ", s.result().notes().isEmpty()
              ? java.util.List.of("newest demand reading older than staleAfter") : s.result().notes()))
          .asRuntimeException());
      return;
    }
    answer.accept(s);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // subscription handles do not fail
    }
  }

  /**
   * A server stream KEDA keeps open: completed at most once (on graceful shutdown), closed by the
   * client's cancel, which also ends the Watch subscription that keeps it fed.
   */
  private final class OpenStream<T> {
    final Object lock = new Object();
    boolean done;
    private final StreamObserver<T> out;
    private final Runnable complete = this::complete;
    private AutoCloseable subscription;

    /**
     * Registers the cancel handler at once: gRPC accepts it only during the initial call, and the
     * subscription may come later from the slow path.
     */
    OpenStream(StreamObserver<T> out) {
      this.out = out;
      ((ServerCallStreamObserver<T>) out).setOnCancelHandler(() -> {
        AutoCloseable s;
        synchronized (lock) {
          done = true;
          s = subscription;
          subscription = null;
        }
        openStreams.remove(complete);
        if (s != null) {
          closeQuietly(s);
        }
      });
    }

    void keepOpen(AutoCloseable sub) {
      synchronized (lock) {
        if (!done) {
          subscription = sub;
          openStreams.add(complete);
          return;
        }
      }
      closeQuietly(sub); // cancelled before the Watch was found
    }

    private void complete() {
      synchronized (lock) {
        if (!done) {
          done = true;
          out.onCompleted();
        }
      }
    }
  }
}
