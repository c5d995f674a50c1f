package dev.legitscaler.loadtest.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KubeStateExporterTest {
  @Test
  void servesTheSeriesTheRulesJoinOnWithLiveValues() throws Exception {
    AtomicInteger desired = new AtomicInteger(5);
    AtomicInteger ready = new AtomicInteger(3);
    try (KubeStateExporter e = new KubeStateExporter(
        new KubeStateExporter.Target("ml", "ml-model", "keda-hpa-ml-model", 4, 6), desired::get, () -> 4, ready::get)) {
      String body = get(e.target());
      assertThat(body)
          .contains("kube_horizontalpodautoscaler_info{namespace=\"ml\",horizontalpodautoscaler=\"keda-hpa-ml-model\","
              + "scaletargetref_kind=\"Deployment\",scaletargetref_name=\"ml-model\"} 1")
          .contains("kube_deployment_status_replicas_available{namespace=\"ml\",deployment=\"ml-model\"} 3")
          .contains("kube_horizontalpodautoscaler_spec_min_replicas{namespace=\"ml\",horizontalpodautoscaler=\"keda-hpa-ml-model\"} 4")
          .contains("kube_horizontalpodautoscaler_status_desired_replicas{namespace=\"ml\",horizontalpodautoscaler=\"keda-hpa-ml-model\"} 5");
      ready.set(4);
      assertThat(get(e.target())).contains("kube_deployment_status_replicas_available{namespace=\"ml\",deployment=\"ml-model\"} 4");
    }
  }

  private static String get(String target) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + target + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
