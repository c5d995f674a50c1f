package dev.legitscaler.loadtest.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusConfigTest {
  @Test
  void writesTheTreePrometheusReads() throws Exception {
    // a path with a quote and a colon: hand-quoted YAML would break on it, Jackson quotes it
    Path rules = Path.of("/tmp/it's: rules.yml");
    String yaml = new PrometheusConfig(Duration.ofMillis(2500), List.of(rules), List.of(
        PrometheusConfig.ScrapeJob.discovered("model", false, Path.of("/tmp/targets.json")),
        PrometheusConfig.ScrapeJob.fixed("legit-scaler", true, List.of("127.0.0.1:9100")).every(Duration.ofSeconds(1))),
        List.of("127.0.0.1:9093")).yaml();
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    assertThat(root.path("global").path("scrape_interval").asText()).isEqualTo("2500ms");
    assertThat(root.path("global").path("evaluation_interval").asText()).isEqualTo("2500ms");
    assertThat(root.path("rule_files").get(0).asText()).isEqualTo("/tmp/it's: rules.yml");
    JsonNode model = root.path("scrape_configs").get(0);
    assertThat(model.path("job_name").asText()).isEqualTo("model");
    assertThat(model.has("honor_labels")).isFalse();
    assertThat(model.path("file_sd_configs").get(0).path("files").get(0).asText()).isEqualTo("/tmp/targets.json");
    JsonNode scaler = root.path("scrape_configs").get(1);
    assertThat(scaler.path("honor_labels").asBoolean()).isTrue();
    assertThat(scaler.path("scrape_interval").asText()).isEqualTo("1000ms");
    assertThat(scaler.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo("127.0.0.1:9100");
    JsonNode am = root.path("alerting").path("alertmanagers").get(0);
    assertThat(am.path("api_version").asText()).isEqualTo("v2");
    assertThat(am.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo("127.0.0.1:9093");
  }

  @Test
  void withoutRulesOrAlertmanagersThoseSectionsAreAbsent() throws Exception {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(
        new PrometheusConfig(Duration.ofSeconds(1), List.of(), List.of(), List.of()).yaml());
    assertThat(root.has("rule_files")).isFalse();
    assertThat(root.has("alerting")).isFalse();
  }

  @Test
  void fileSdGroupsCarryTheirLabels() throws Exception {
    JsonNode groups = new ObjectMapper().readTree(PrometheusConfig.fileSdJson(List.of(
        new PrometheusConfig.FileSdTarget("127.0.0.1:1", Map.of("namespace", "ml", "pod", "m-0")))));
    assertThat(groups.get(0).path("targets").get(0).asText()).isEqualTo("127.0.0.1:1");
    assertThat(groups.get(0).path("labels").path("pod").asText()).isEqualTo("m-0");
    assertThat(PrometheusConfig.fileSdJson(List.of()).trim()).isEqualTo("[ ]");
  }
}
