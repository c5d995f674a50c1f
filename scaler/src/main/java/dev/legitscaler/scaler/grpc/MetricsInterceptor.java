package dev.legitscaler.scaler.grpc;

import dev.legitscaler.scaler.metrics.ScalerMetrics;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/** Records legitscaler_grpc_requests_total and _duration_seconds for every call (by full method name). */
public final class MetricsInterceptor implements ServerInterceptor {
  private final ScalerMetrics metrics;

  public MetricsInterceptor(ScalerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    ScalerMetrics.GrpcMethod method = metrics.grpcMethod(call.getMethodDescriptor().getFullMethodName());
    AtomicBoolean recorded = new AtomicBoolean();
    ServerCall<Q, R> recording = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (recorded.compareAndSet(false, true)) {
          method.record(status.getCode(), System.nanoTime() - start);
        }
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> listener = next.startCall(recording, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        if (recorded.compareAndSet(false, true)) {
          method.record(Status.Code.CANCELLED, System.nanoTime() - start);
        }
        super.onCancel();
      }
    };
  }
}
