package dev.legitscaler.scaler.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The backends the operator declared, with their credentials and the namespaces that may use each
 * (KEDA's ClusterTriggerAuthentication model: credentials live with the operator, a trigger only names
 * them). A trigger names a backend ({@link #PROMETHEUS_BACKEND}, {@link #KAFKA_BACKEND}) or gives an
 * address equal to a declared one; anything else is refused with {@link BackendDeniedException}, or,
 * when {@link #allowUndeclared} is set, reached without any server credential.
 *
 * <p>Resolution is pure (no I/O), so GetMetricSpec stays a function of the metadata and this config.
 *
 * @param prometheus declared Prometheus servers
 * @param kafka declared Kafka clusters
 * @param allowUndeclared an address no backend declares is reached without credentials instead of refused
 */
public record Backends(List<Prometheus> prometheus, List<Kafka> kafka, boolean allowUndeclared) {
  /** Metadata key naming a declared Prometheus backend (load query and Prometheus legitimacy query). */
  public static final String PROMETHEUS_BACKEND = "prometheusBackend";
  /** Metadata key naming a declared Kafka cluster (lag and the Kafka legitimacy scorer). */
  public static final String KAFKA_BACKEND = "kafkaBackend";
  /** Namespace pattern meaning "every namespace". */
  public static final String ALL_NAMESPACES = "*";

  /**
   * @param url normalized by {@link HttpAddress#normalize}; compared exactly with the trigger's address
   * @param bearerTokenFile sent as {@code Authorization: Bearer} to this server only
   * @param namespaces namespaces that may use it, or {@code *}
   * @param isDefault used by triggers that give neither a name nor an address
   */
  public record Prometheus(String name, String url, Optional<Path> bearerTokenFile, Set<String> namespaces,
      boolean isDefault) {
    public Prometheus {
      namespaces = Set.copyOf(namespaces);
    }
  }

  /**
   * @param bootstrapServers host:port, hosts lower-cased; a trigger may give any non-empty subset
   * @param clientProperties security.protocol, sasl.*, ssl.* for this cluster only (may hold secrets)
   */
  public record Kafka(String name, List<String> bootstrapServers, Map<String, String> clientProperties,
      Set<String> namespaces, boolean isDefault) {
    public Kafka {
      bootstrapServers = List.copyOf(bootstrapServers);
      clientProperties = Map.copyOf(clientProperties);
      namespaces = Set.copyOf(namespaces);
    }

    @Override
    public String toString() {
      // the default toString would print clientProperties, secrets included
      return "Kafka[name=" + name + ", bootstrapServers=" + bootstrapServers + ", clientProperties="
          + new TreeSet<>(clientProperties.keySet()) + ", namespaces=" + namespaces + "]";
    }
  }

  /** Where a Prometheus query goes, and with which declared backend's credentials (empty: none). */
  public record PrometheusRoute(String address, Optional<Prometheus> backend) {}

  /** Which brokers a Kafka client contacts, and with which declared cluster's properties (empty: none). */
  public record KafkaRoute(List<String> bootstrapServers, Optional<Kafka> backend) {
    public KafkaRoute {
      bootstrapServers = List.copyOf(bootstrapServers);
    }

    public Map<String, String> clientProperties() {
      return backend.map(Kafka::clientProperties).orElse(Map.of());
    }
  }

  public Backends {
    prometheus = List.copyOf(prometheus);
    kafka = List.copyOf(kafka);
    unique("prometheus", prometheus, Prometheus::name, Prometheus::isDefault);
    unique("kafka", kafka, Kafka::name, Kafka::isDefault);
  }

  /** Nothing declared; undeclared addresses are reached without credentials (tests, offline tools). */
  public static Backends openWithoutCredentials() {
    return new Backends(List.of(), List.of(), true);
  }

  /**
   * The single-backend flags as declared backends for every namespace: {@code --prometheus-url} with
   * {@code --prometheus-bearer-token-file}, {@code --kafka-bootstrap-servers} with
   * {@code --kafka-client-properties}, each named {@code default} and used when a trigger names none.
   */
  public static Backends fromFlags(Optional<String> prometheusUrl, Optional<Path> bearerTokenFile,
      Optional<String> kafkaBootstrapServers, Map<String, String> kafkaClientProperties, boolean allowUndeclared) {
    List<Prometheus> p = prometheusUrl
        .map(u -> List.of(new Prometheus("default", HttpAddress.normalize("--prometheus-url", u), bearerTokenFile,
            Set.of(ALL_NAMESPACES), true)))
        .orElse(List.of());
    List<Kafka> k = kafkaBootstrapServers
        .map(s -> List.of(new Kafka("default", parseServers("--kafka-bootstrap-servers", s,
            "a comma-separated list of host:port"), kafkaClientProperties, Set.of(ALL_NAMESPACES), true)))
        .orElse(List.of());
    return new Backends(p, k, allowUndeclared);
  }

  /** This declaration plus {@code more} (names must stay unique; at most one default per kind). */
  public Backends plus(Backends more) {
    List<Prometheus> p = new ArrayList<>(prometheus);
    p.addAll(more.prometheus);
    List<Kafka> k = new ArrayList<>(kafka);
    k.addAll(more.kafka);
    return new Backends(p, k, allowUndeclared || more.allowUndeclared);
  }

  /** The declared Prometheus backend with exactly this normalized URL, whoever asks. */
  public Optional<Prometheus> prometheusAt(String normalizedUrl) {
    return prometheus.stream().filter(b -> b.url().equals(normalizedUrl)).findFirst();
  }

  /**
   * The backend a Prometheus URL belongs to, as one name for the per-backend concurrency limit: the
   * declared backend's name, else the address itself (undeclared, reached without credentials).
   */
  public String prometheusIdentity(String normalizedUrl) {
    return prometheusAt(normalizedUrl).map(b -> "prometheus " + b.name()).orElse("prometheus " + normalizedUrl);
  }

  /**
   * As {@link #prometheusIdentity} for Kafka servers: the declared cluster holding them all (a trigger may
   * give any subset of its servers), else the servers as given.
   */
  public String kafkaIdentity(List<String> servers) {
    return kafka.stream().filter(b -> b.bootstrapServers().containsAll(servers)).findFirst()
        .map(b -> "kafka " + b.name()).orElse("kafka " + String.join(",", servers));
  }

  /**
   * Resolves a trigger's Prometheus server: by {@link #PROMETHEUS_BACKEND}, else by the address under
   * {@code addressKey} (normalized), else the default backend.
   *
   * @throws BackendDeniedException the name or address is not declared for {@code namespace}
   * @throws ConfigException nothing given and no default, or a name and an address that disagree
   */
  public PrometheusRoute prometheus(String namespace, Metadata md, String addressKey) {
    Optional<String> name = md.string(PROMETHEUS_BACKEND);
    Optional<String> address = md.string(addressKey).map(a -> HttpAddress.normalize(addressKey, a));
    Function<Prometheus, String> urlOf = Prometheus::url;
    if (name.isPresent()) {
      Prometheus b = byName(prometheus, Prometheus::name, PROMETHEUS_BACKEND, name.get(), namespace,
          Prometheus::namespaces, urlOf, addressKey);
      address.filter(a -> !a.equals(b.url())).ifPresent(a -> {
        throw new ConfigException(addressKey, a, "empty or " + b.url() + " (the URL of " + PROMETHEUS_BACKEND + " "
            + b.name() + ")");
      });
      return new PrometheusRoute(b.url(), Optional.of(b));
    }
    if (address.isPresent()) {
      Optional<Prometheus> match = prometheusAt(address.get());
      if (match.isPresent()) {
        checkNamespace(match.get().namespaces(), addressKey, address.get(), namespace, prometheus,
            Prometheus::namespaces, Prometheus::name, urlOf);
        return new PrometheusRoute(address.get(), match);
      }
      if (allowUndeclared) {
        return new PrometheusRoute(address.get(), Optional.empty());
      }
      throw denied(addressKey, address.get(), namespace, prometheus, Prometheus::namespaces, Prometheus::name, urlOf,
          PROMETHEUS_BACKEND);
    }
    Prometheus d = defaultOf(prometheus, Prometheus::isDefault, addressKey,
        HttpAddress.FORM + " or " + PROMETHEUS_BACKEND + " (the server has no default Prometheus)");
    checkNamespace(d.namespaces(), PROMETHEUS_BACKEND, d.name() + " (the default)", namespace, prometheus,
        Prometheus::namespaces, Prometheus::name, urlOf);
    return new PrometheusRoute(d.url(), Optional.of(d));
  }

  /**
   * Resolves a trigger's Kafka cluster: by {@link #KAFKA_BACKEND}, else by the servers under the first
   * present of {@code addressKeys} (every server must belong to one declared cluster), else the default.
   */
  public KafkaRoute kafka(String namespace, Metadata md, String serversForm, String... addressKeys) {
    Optional<String> name = md.string(KAFKA_BACKEND);
    String addressKey = addressKeys[0];
    Optional<String> text = Optional.empty();
    for (String k : addressKeys) {
      if (md.has(k)) {
        addressKey = k;
        text = md.string(k);
        break;
      }
    }
    String key = addressKey;
    Optional<List<String>> servers = text.map(t -> parseServers(key, t, serversForm));
    Function<Kafka, String> serversOf = b -> String.join(",", b.bootstrapServers());
    if (name.isPresent()) {
      Kafka b = byName(kafka, Kafka::name, KAFKA_BACKEND, name.get(), namespace, Kafka::namespaces, serversOf, key);
      servers.filter(s -> !b.bootstrapServers().containsAll(s)).ifPresent(s -> {
        throw new ConfigException(key, String.join(",", s), "empty or servers of " + KAFKA_BACKEND + " " + b.name()
            + " (" + serversOf.apply(b) + ")");
      });
      return new KafkaRoute(servers.orElse(b.bootstrapServers()), Optional.of(b));
    }
    if (servers.isPresent()) {
      List<String> s = servers.get();
      Optional<Kafka> match = kafka.stream().filter(b -> b.bootstrapServers().containsAll(s)).findFirst();
      String given = String.join(",", s);
      if (match.isPresent()) {
        checkNamespace(match.get().namespaces(), key, given, namespace, kafka, Kafka::namespaces, Kafka::name,
            serversOf);
        return new KafkaRoute(s, match);
      }
      if (allowUndeclared) {
        return new KafkaRoute(s, Optional.empty());
      }
      throw denied(key, given, namespace, kafka, Kafka::namespaces, Kafka::name, serversOf, KAFKA_BACKEND);
    }
    Kafka d = defaultOf(kafka, Kafka::isDefault, key,
        serversForm + " or " + KAFKA_BACKEND + " (the server has no default Kafka cluster)");
    checkNamespace(d.namespaces(), KAFKA_BACKEND, d.name() + " (the default)", namespace, kafka, Kafka::namespaces,
        Kafka::name, serversOf);
    return new KafkaRoute(d.bootstrapServers(), Optional.of(d));
  }

  /** {@code host:port[,host:port...]}, hosts lower-cased (DNS names compare case-insensitively). */
  public static List<String> normalizeServers(String text) {
    return parseServers("bootstrapServers", text, "a comma-separated list of host:port");
  }

  static List<String> parseServers(String key, String text, String form) {
    List<String> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String s = part.trim();
      int colon = s.lastIndexOf(':');
      boolean ok = colon > 0 && colon < s.length() - 1;
      if (ok) {
        try {
          int port = Integer.parseInt(s.substring(colon + 1));
          ok = port > 0 && port <= 65535;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new ConfigException(key, text, form);
      }
      out.add(s.substring(0, colon).toLowerCase(Locale.ROOT) + s.substring(colon));
    }
    return out;
  }

  private static boolean allows(Set<String> namespaces, String namespace) {
    return namespaces.contains(ALL_NAMESPACES) || namespaces.contains(namespace);
  }

  private static <B> B byName(List<B> all, Function<B, String> nameOf, String key, String name, String namespace,
      Function<B, Set<String>> namespacesOf, Function<B, String> addressOf, String addressKey) {
    Optional<B> b = all.stream().filter(x -> nameOf.apply(x).equals(name)).findFirst();
    if (b.isEmpty() || !allows(namespacesOf.apply(b.get()), namespace)) {
      throw denied(key, name, namespace, all, namespacesOf, nameOf, addressOf, key);
    }
    return b.get();
  }

  private static <B> void checkNamespace(Set<String> namespaces, String key, String value, String namespace,
      List<B> all, Function<B, Set<String>> namespacesOf, Function<B, String> nameOf, Function<B, String> addressOf) {
    if (!allows(namespaces, namespace)) {
      throw denied(key, value, namespace, all, namespacesOf, nameOf, addressOf, key);
    }
  }

  private static <B> BackendDeniedException denied(String key, String value, String namespace, List<B> all,
      Function<B, Set<String>> namespacesOf, Function<B, String> nameOf, Function<B, String> addressOf,
      String nameKey) {
    List<B> usable = all.stream().filter(b -> allows(namespacesOf.apply(b), namespace)).toList();
    String allowed = usable.isEmpty()
        ? "no value: no backend of this kind is declared for this namespace"
        : "one of the declared backends " + usable.stream()
            .map(b -> nameOf.apply(b) + " (" + addressOf.apply(b) + ")").toList()
            + ", named by " + nameKey + " or given by its exact address";
    return new BackendDeniedException(key, value, namespace, allowed);
  }

  private static <B> B defaultOf(List<B> all, java.util.function.Predicate<B> isDefault, String key, String form) {
    return all.stream().filter(isDefault).findFirst().orElseThrow(() -> new ConfigException(key, null, form));
  }

  private static <B> void unique(String kind, List<B> all, Function<B, String> nameOf,
      java.util.function.Predicate<B> isDefault) {
    Set<String> seen = new HashSet<>();
    for (B b : all) {
      if (!seen.add(nameOf.apply(b))) {
        throw new IllegalArgumentException(kind + " backend '" + nameOf.apply(b) + "' is declared twice");
      }
    }
    if (all.stream().filter(isDefault).count() > 1) {
      throw new IllegalArgumentException("more than one " + kind + " backend is marked default");
    }
  }
}
