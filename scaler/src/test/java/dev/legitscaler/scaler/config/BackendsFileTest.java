package dev.legitscaler.scaler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendsFileTest {
  @TempDir
  Path dir;

  @Test
  void yamlDeclaresBothKindsWithCredentialsAndNamespaces() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t");
    Path props = Files.writeString(dir.resolve("kafka.properties"), "security.protocol=SASL_SSL\n");
    Path file = Files.writeString(dir.resolve("backends.yaml"), """
        prometheus:
          - name: main
            url: http://Prometheus.monitoring:9090/
            bearerTokenFile: %s
            namespaces: ["*"]
            default: true
        kafka:
          - name: events
            bootstrapServers: kafka-0:9093, kafka-1:9093
            clientPropertiesFile: %s
            namespaces: [team-a, team-b]
        """.formatted(token, props));
    Backends b = BackendsFile.read(file, false);
    assertThat(b.prometheus()).singleElement().satisfies(p -> {
      assertThat(p.url()).isEqualTo("http://prometheus.monitoring:9090");
      assertThat(p.bearerTokenFile()).contains(token);
      assertThat(p.isDefault()).isTrue();
    });
    assertThat(b.kafka()).singleElement().satisfies(k -> {
      assertThat(k.bootstrapServers()).containsExactly("kafka-0:9093", "kafka-1:9093");
      assertThat(k.clientProperties()).containsEntry("security.protocol", "SASL_SSL");
      assertThat(k.namespaces()).isEqualTo(Set.of("team-a", "team-b"));
      assertThat(k.isDefault()).isFalse();
    });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "prometheus: [{name: m, url: 'ftp://x', namespaces: ['*']}]|prometheus[0].url",
      "prometheus: [{url: 'http://x:1', namespaces: ['*']}]|prometheus[0].name: missing",
      "prometheus: [{name: m, url: 'http://x:1'}]|prometheus[0].namespaces",
      "prometheus: [{name: m, url: 'http://x:1', namespaces: ['Team_A']}]|prometheus[0].namespaces: 'Team_A'",
      "prometheus: [{name: m, url: 'http://x:1', namespaces: ['*'], bearerTokenFile: /no/such}]|bearerTokenFile",
      "kafka: [{name: k, bootstrapServers: 'nohost', namespaces: ['*']}]|kafka[0].bootstrapServers",
      "kafka: [{name: k, bootstrapServers: 'h:1', namespaces: ['*'], sasl: x}]|not a backends file",
      "prometheus: [{name: m, url: 'http://x:1', namespaces: ['*']}, {name: m, url: 'http://y:1', namespaces: ['*']}]|declared twice"})
  void everyMistakeNamesTheField(String yaml, String expected) throws Exception {
    Path file = Files.writeString(dir.resolve("b.yaml"), yaml);
    assertThatThrownBy(() -> BackendsFile.read(file, false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }
}
