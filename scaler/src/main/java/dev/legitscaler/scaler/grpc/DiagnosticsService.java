package dev.legitscaler.scaler.grpc;

import dev.legitscaler.proto.diagnostics.v1.DiagnosticsGrpc;
import dev.legitscaler.proto.diagnostics.v1.Explanation;
import dev.legitscaler.proto.diagnostics.v1.ListRequest;
import dev.legitscaler.proto.diagnostics.v1.ListResponse;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.WatchKey;
import dev.legitscaler.scaler.watch.Registry;
import dev.legitscaler.scaler.watch.Watch;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * legitscaler.diagnostics.v1.Diagnostics: Explain one ScaledObject's current decision, List the
 * watches. Read-only: never creates a Watch. Explain with empty metadata picks the ScaledObject's first
 * watch (by metric name), so {@code grpcurl -d '{"namespace":"ml","name":"model"}'} is enough.
 */
public final class DiagnosticsService extends DiagnosticsGrpc.DiagnosticsImplBase {
  private final Registry registry;
  private final Clock clock;

  private final Executor slowPath;

  /** {@code slowPath} runs every call: an Explain hashes metadata, a List walks every watch. */
  public DiagnosticsService(Registry registry, Clock clock, Executor slowPath) {
    this.registry = registry;
    this.clock = clock;
    this.slowPath = slowPath;
  }

  @Override
  public void explain(ScaledObjectRef ref, StreamObserver<Explanation> out) {
    offload(out, () -> explainNow(ref, out));
  }

  @Override
  public void list(ListRequest req, StreamObserver<ListResponse> out) {
    offload(out, () -> listNow(out));
  }

  private void offload(StreamObserver<?> out, Runnable call) {
    try {
      slowPath.execute(call);
    } catch (RejectedExecutionException e) {
      out.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
    }
  }

  private void explainNow(ScaledObjectRef ref, StreamObserver<Explanation> out) {
    Optional<Watch> w;
    if (ref.getScalerMetadataCount() > 0) {
      try {
        registry.limits().checkMetadataSize(ref.getScalerMetadataMap());
      } catch (dev.legitscaler.scaler.config.ConfigException e) {
        out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        return;
      }
      w = registry.find(WatchKey.of(ref.getNamespace(), ref.getName(), ref.getScalerMetadataMap()));
    } else {
      List<Watch> all = registry.find(ref.getNamespace(), ref.getName());
      w = all.stream().findFirst();
    }
    if (w.isEmpty()) {
      out.onError(Status.NOT_FOUND.withDescription("no watch for " + ref.getNamespace() + "/" + ref.getName()
          + (ref.getScalerMetadataCount() > 0 ? " with this metadata" : "")
          + registry.refusal(ref.getNamespace(), ref.getName()).map(r -> ": refused by a server limit: " + r)
              .orElse(": a watch is created by KEDA's first call for the ScaledObject (see Diagnostics/List)"))
          .asRuntimeException());
      return;
    }
    out.onNext(Explanations.explain(w.get(), clock.instant()));
    out.onCompleted();
  }

  private void listNow(StreamObserver<ListResponse> out) {
    Instant now = clock.instant();
    ListResponse.Builder b = ListResponse.newBuilder();
    for (Watch w : registry.all()) {
      b.addWatches(Explanations.summary(w, now));
    }
    out.onNext(b.build());
    out.onCompleted();
  }
}
