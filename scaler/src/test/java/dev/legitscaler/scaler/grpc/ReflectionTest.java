package dev.legitscaler.scaler.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server reflection answers in both protocol versions, so grpcurl works without proto files. */
class ReflectionTest {
  private static final List<String> EXPECTED = List.of("externalscaler.ExternalScaler",
      "legitscaler.diagnostics.v1.Diagnostics", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection");
  private InProcessHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new InProcessHarness();
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  @Test
  void v1ListsEveryService() throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(h.channel)
        .serverReflectionInfo(observer(answer));
    req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    ServerReflectionResponse r = answer.get(20, TimeUnit.SECONDS);
    req.onCompleted();
    assertThat(r.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
        .containsAll(EXPECTED);
  }

  @Test
  @SuppressWarnings("deprecation")
  void v1alphaListsEveryServiceAndResolvesTheKedaProto() throws Exception {
    CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer = new CompletableFuture<>();
    var req = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(h.channel).serverReflectionInfo(observer(answer));
    req.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
    var r = answer.get(20, TimeUnit.SECONDS);
    assertThat(r.getListServicesResponse().getServiceList())
        .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName).containsAll(EXPECTED);
    req.onCompleted();

    CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> file = new CompletableFuture<>();
    var req2 = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(h.channel).serverReflectionInfo(observer(file));
    req2.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("externalscaler.ExternalScaler").build());
    assertThat(file.get(20, TimeUnit.SECONDS).getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
    req2.onCompleted();
  }

  private static <T> StreamObserver<T> observer(CompletableFuture<T> first) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T v) {
        first.complete(v);
      }

      @Override
      public void onError(Throwable t) {
        first.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }
}
