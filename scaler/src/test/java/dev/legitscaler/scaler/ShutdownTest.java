package dev.legitscaler.scaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.GetMetricsResponse;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.source.InMemorySignalFactory;
import dev.legitscaler.scaler.tls.TlsFiles;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.stub.StreamObserver;
import io.grpc.health.v1.HealthGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful stop over a real socket: an in-flight call finishes, new calls are refused, sources close. */
class ShutdownTest {
  @Test
  void inFlightCallFinishesDuringGracefulStop() throws Exception {
    InMemorySignalFactory signals = new InMemorySignalFactory();
    signals.setLoad("ml", "model", 0.7, 0.7, 0.7, 0.7, 0.7);
    CountDownLatch gate = signals.block();
    ScalerApp app = ScalerApp.start(new ScalerApp.Settings(0, 0, ServerDefaults.none(), TlsFiles.plaintext(), 2,
        Duration.ofSeconds(8)), signals, () -> { }, Clock.systemUTC());
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", app.grpcPort(),
        InsecureChannelCredentials.create()).build();
    try {
      ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("ml").setName("model")
          .putScalerMetadata("loadQuery", "q").build();
      ListenableFuture<GetMetricsResponse> inFlight = ExternalScalerGrpc.newFutureStub(ch)
          .withDeadlineAfter(30, TimeUnit.SECONDS).getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).build());
      for (int i = 0; i < 1000 && signals.fetches.get() == 0; i++) {
        Thread.sleep(10); // the first refresh is now blocked inside the source
      }
      assertThat(signals.fetches.get()).isPositive();

      // a health watcher (as a load balancer would hold) sees SERVING, then NOT_SERVING when the stop begins
      java.util.concurrent.BlockingQueue<HealthCheckResponse.ServingStatus> health =
          new java.util.concurrent.LinkedBlockingQueue<>();
      io.grpc.Context.CancellableContext watching = io.grpc.Context.current().withCancellation();
      watching.run(() -> HealthGrpc.newStub(ch).watch(HealthCheckRequest.newBuilder()
          .setService("externalscaler.ExternalScaler").build(), new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse r) {
              health.add(r.getStatus());
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          }));
      assertThat(health.poll(10, TimeUnit.SECONDS)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> app.stop(Duration.ofSeconds(8)));
      assertThat(health.poll(10, TimeUnit.SECONDS)).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
      watching.cancel(null);
      // new calls are refused once shutdown has begun
      for (int i = 0; i < 1000; i++) {
        try {
          HealthGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
          Thread.sleep(10);
        } catch (RuntimeException refused) {
          break;
        }
      }
      assertThatThrownBy(() -> HealthGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()));
      assertThat(inFlight.isDone()).isFalse();

      gate.countDown(); // the refresh completes; the waiting call answers
      assertThat(inFlight.get(10, TimeUnit.SECONDS).getMetricValues(0).getMetricValue()).isEqualTo(5);
      assertThat(stopped.get(10, TimeUnit.SECONDS)).as("clean stop").isTrue();
      assertThat(signals.closed.get()).isEqualTo(signals.opened.get()).isEqualTo(1);
    } finally {
      gate.countDown();
      ch.shutdownNow();
    }
  }
}
