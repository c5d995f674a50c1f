package dev.legitscaler.loadtest.keda;

import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricSpecResponse;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.GetMetricsResponse;
import dev.legitscaler.proto.externalscaler.IsActiveResponse;
import dev.legitscaler.proto.externalscaler.MetricSpec;
import dev.legitscaler.proto.externalscaler.MetricValue;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture, not a scaler: an ExternalScaler whose answers are scripted by the test (metric value,
 * activity, failures, delay) and which records every call it receives, in order.
 */
final class ScriptedExternalScaler extends ExternalScalerGrpc.ExternalScalerImplBase {
  record Call(String rpc, String name, String namespace, String metricName, java.util.Map<String, String> metadata) {}

  private final List<Call> calls = new ArrayList<>();
  private String metricName = "legit-scaler";
  private long targetSize = 1;
  private double targetSizeFloat = 1.0;
  private double value = 4;
  private boolean active = true;
  private Status failGetMetrics;
  private Status failGetMetricSpec;
  private long delayMillis;

  synchronized ScriptedExternalScaler value(double v) {
    this.value = v;
    return this;
  }

  synchronized ScriptedExternalScaler active(boolean a) {
    this.active = a;
    return this;
  }

  synchronized ScriptedExternalScaler target(long size, double sizeFloat) {
    this.targetSize = size;
    this.targetSizeFloat = sizeFloat;
    return this;
  }

  /** Every GetMetrics fails with this status (null: answer normally). */
  synchronized ScriptedExternalScaler failGetMetrics(Status s) {
    this.failGetMetrics = s;
    return this;
  }

  synchronized ScriptedExternalScaler failGetMetricSpec(Status s) {
    this.failGetMetricSpec = s;
    return this;
  }

  /** GetMetrics sleeps this long before answering (to exceed the caller's deadline). */
  synchronized ScriptedExternalScaler delayGetMetrics(long millis) {
    this.delayMillis = millis;
    return this;
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized List<String> rpcs() {
    return calls.stream().map(Call::rpc).toList();
  }

  synchronized void clearCalls() {
    calls.clear();
  }

  private synchronized void record(String rpc, ScaledObjectRef ref, String metric) {
    calls.add(new Call(rpc, ref.getName(), ref.getNamespace(), metric, ref.getScalerMetadataMap()));
  }

  @Override
  public void isActive(ScaledObjectRef request, StreamObserver<IsActiveResponse> out) {
    record("IsActive", request, "");
    boolean a;
    synchronized (this) {
      a = active;
    }
    out.onNext(IsActiveResponse.newBuilder().setResult(a).build());
    out.onCompleted();
  }

  @Override
  public void getMetricSpec(ScaledObjectRef request, StreamObserver<GetMetricSpecResponse> out) {
    record("GetMetricSpec", request, "");
    Status fail;
    MetricSpec spec;
    synchronized (this) {
      fail = failGetMetricSpec;
      spec = MetricSpec.newBuilder().setMetricName(metricName).setTargetSize(targetSize).setTargetSizeFloat(targetSizeFloat).build();
    }
    if (fail != null) {
      out.onError(fail.asRuntimeException());
      return;
    }
    out.onNext(GetMetricSpecResponse.newBuilder().addMetricSpecs(spec).build());
    out.onCompleted();
  }

  @Override
  public void getMetrics(GetMetricsRequest request, StreamObserver<GetMetricsResponse> out) {
    record("GetMetrics", request.getScaledObjectRef(), request.getMetricName());
    Status fail;
    double v;
    long delay;
    synchronized (this) {
      fail = failGetMetrics;
      v = value;
      delay = delayMillis;
    }
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (fail != null) {
      out.onError(fail.asRuntimeException());
      return;
    }
    // both fields, as the real scaler does: older KEDA reads only the int one
    out.onNext(GetMetricsResponse.newBuilder()
        .addMetricValues(MetricValue.newBuilder().setMetricName(request.getMetricName()).setMetricValue((long) Math.ceil(v)).setMetricValueFloat(v))
        .build());
    out.onCompleted();
  }
}
