package dev.legitscaler.scaler.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The operator's backends file ({@code --backends-file}), YAML or JSON:
 *
 * <pre>
 * prometheus:
 *   - name: main
 *     url: http://prometheus.monitoring:9090
 *     bearerTokenFile: /etc/legit-scaler/prometheus/token   # optional
 *     namespaces: ["*"]                                     # or a list of namespace names
 *     default: true                                         # used when a trigger names none
 * kafka:
 *   - name: events
 *     bootstrapServers: kafka-0.kafka:9093,kafka-1.kafka:9093
 *     clientPropertiesFile: /etc/legit-scaler/kafka/events.properties   # optional
 *     namespaces: [team-a, team-b]
 * </pre>
 *
 * Parsed once at start-up; every error names the file, the entry and the field.
 */
public final class BackendsFile {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");
  // a Kubernetes namespace name (RFC 1123 label) or "*"
  private static final Pattern NAMESPACE = Pattern.compile("\\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  record PrometheusEntry(String name, String url, String bearerTokenFile, List<String> namespaces,
      @JsonProperty("default") Boolean isDefault) {}

  record KafkaEntry(String name, String bootstrapServers, String clientPropertiesFile, List<String> namespaces,
      @JsonProperty("default") Boolean isDefault) {}

  record FileContent(List<PrometheusEntry> prometheus, List<KafkaEntry> kafka) {}

  private BackendsFile() {}

  /** Reads and validates {@code file}; throws IllegalArgumentException naming the file and the field. */
  public static Backends read(Path file, boolean allowUndeclared) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    FileContent content;
    try {
      content = yaml.readValue(file.toFile(), FileContent.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not a backends file (" + firstLine(e.getMessage())
          + "); expected YAML or JSON with lists 'prometheus' and 'kafka' of entries with name, url or"
          + " bootstrapServers, namespaces and optional credentials (see docs/security.md)");
    }
    if (content == null) {
      content = new FileContent(List.of(), List.of());
    }
    List<Backends.Prometheus> prometheus = new ArrayList<>();
    int i = 0;
    for (PrometheusEntry e : Optional.ofNullable(content.prometheus()).orElse(List.of())) {
      String where = file + ": prometheus[" + i++ + "]";
      String name = name(where, e.name());
      String url = required(where, "url", e.url());
      String normalized;
      try {
        normalized = HttpAddress.normalize("url", url);
      } catch (ConfigException ex) {
        throw new IllegalArgumentException(where + ".url: '" + ex.value() + "': expected " + HttpAddress.FORM);
      }
      Optional<Path> token = Optional.ofNullable(e.bearerTokenFile()).map(Path::of);
      token.ifPresent(t -> readable(where + ".bearerTokenFile", t));
      prometheus.add(new Backends.Prometheus(name, normalized, token, namespaces(where, e.namespaces()),
          Boolean.TRUE.equals(e.isDefault())));
    }
    List<Backends.Kafka> kafka = new ArrayList<>();
    i = 0;
    for (KafkaEntry e : Optional.ofNullable(content.kafka()).orElse(List.of())) {
      String where = file + ": kafka[" + i++ + "]";
      String name = name(where, e.name());
      List<String> servers;
      try {
        servers = Backends.normalizeServers(required(where, "bootstrapServers", e.bootstrapServers()));
      } catch (ConfigException ex) {
        throw new IllegalArgumentException(where + ".bootstrapServers: '" + ex.value()
            + "': expected a comma-separated list of host:port");
      }
      Map<String, String> props = Map.of();
      if (e.clientPropertiesFile() != null) {
        Path p = Path.of(e.clientPropertiesFile());
        readable(where + ".clientPropertiesFile", p);
        props = loadProperties(where + ".clientPropertiesFile", p);
      }
      kafka.add(new Backends.Kafka(name, servers, props, namespaces(where, e.namespaces()),
          Boolean.TRUE.equals(e.isDefault())));
    }
    return new Backends(prometheus, kafka, allowUndeclared);
  }

  /** A Java properties file as a map; IllegalArgumentException naming {@code what} when unreadable. */
  public static Map<String, String> loadProperties(String what, Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": '" + file + "': expected a Java properties file ("
          + firstLine(e.getMessage()) + ")");
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }

  private static String name(String where, String name) {
    String n = required(where, "name", name);
    if (!NAME.matcher(n).matches()) {
      throw new IllegalArgumentException(where + ".name: '" + n
          + "': expected lower-case letters, digits, '-' and '.', at most 63 characters");
    }
    return n;
  }

  private static Set<String> namespaces(String where, List<String> namespaces) {
    if (namespaces == null || namespaces.isEmpty()) {
      throw new IllegalArgumentException(where + ".namespaces: missing: expected a list of namespace names,"
          + " or [\"*\"] for every namespace");
    }
    for (String ns : namespaces) {
      if (ns == null || !NAMESPACE.matcher(ns).matches()) {
        throw new IllegalArgumentException(where + ".namespaces: '" + ns
            + "': expected a namespace name (RFC 1123 label) or \"*\"");
      }
    }
    return Set.copyOf(namespaces);
  }

  private static String required(String where, String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(where + "." + field + ": missing");
    }
    return value.trim();
  }

  private static void readable(String what, Path p) {
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException(what + ": '" + p + "': expected a readable file");
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
