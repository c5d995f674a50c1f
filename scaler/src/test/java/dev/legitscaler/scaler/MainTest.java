package dev.legitscaler.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MainTest {
  record Run(int rc, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(rc, out.toString(), err.toString());
  }

  static final List<String> FLAGS = List.of("--grpc-port", "--metrics-port", "--prometheus-url",
      "--prometheus-bearer-token-file", "--prometheus-timeout", "--kafka-bootstrap-servers",
      "--kafka-client-properties", "--refresh-interval", "--stale-after", "--watch-idle-expiry", "--tls-cert-file",
      "--tls-key-file", "--tls-client-ca-file", "--refresh-threads", "--first-refresh-wait", "--shutdown-grace",
      "--backends-file", "--allow-undeclared-backends", "--log-format",
      "--max-concurrent-refreshes-per-backend", "--max-upstream-timeout");

  @Test
  void helpListsEveryFlagWithItsEnvironmentVariable() {
    Run r = run("--help");
    assertThat(r.rc()).isZero();
    for (String flag : FLAGS) {
      String env = "LEGITSCALER_" + flag.substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
      assertThat(r.out()).as(flag).contains(flag).contains(env);
    }
    assertThat(r.out().replaceAll("\\s+", " ")).contains("default 9090", "default 8080", "default 5s", "bench");
  }

  static Stream<Arguments> badFlags() {
    return Stream.of(
        Arguments.of(new String[] {"--grpc-port", "nine"}, "--grpc-port"),
        Arguments.of(new String[] {"--grpc-port", "70000"}, "--grpc-port"),
        Arguments.of(new String[] {"--refresh-interval", "soon"}, "--refresh-interval"),
        Arguments.of(new String[] {"--stale-after", "2s", "--refresh-interval", "5s"}, "--stale-after"),
        Arguments.of(new String[] {"--refresh-threads", "0"}, "--refresh-threads"),
        Arguments.of(new String[] {"--prometheus-url", "notaurl"}, "--prometheus-url"),
        Arguments.of(new String[] {"--prometheus-url", "http://p:99999"}, "--prometheus-url"),
        Arguments.of(new String[] {"--max-watches", "0"}, "--max-watches"),
        Arguments.of(new String[] {"--max-series-per-query", "-1"}, "--max-series-per-query"),
        Arguments.of(new String[] {"--max-concurrent-refreshes-per-backend", "0"}, "--max-concurrent-refreshes-per-backend"),
        Arguments.of(new String[] {"--max-upstream-timeout", "3m"}, "--max-upstream-timeout"),
        Arguments.of(new String[] {"--prometheus-timeout", "20s"}, "--prometheus-timeout"),
        Arguments.of(new String[] {"--prometheus-timeout", "5s", "--max-upstream-timeout", "4s"}, "--prometheus-timeout"),
        Arguments.of(new String[] {"--kafka-client-properties", "no/such/file.properties"}, "--kafka-client-properties"),
        Arguments.of(new String[] {"--prometheus-bearer-token-file", "no/such/token"}, "--prometheus-bearer-token-file"),
        Arguments.of(new String[] {"--grpc-port", "0", "--metrics-port", "0", "--tls-client-ca-file", "ca.pem"},
            "--tls-client-ca-file"),
        Arguments.of(new String[] {"--no-such-flag"}, "--no-such-flag"),
        Arguments.of(new String[] {"--backends-file", "no/such/backends.yaml"}, "--backends-file"),
        Arguments.of(new String[] {"--log-format", "xml"}, "--log-format"),
        Arguments.of(new String[] {"--prometheus-url", "http://user:s3cret@127.0.0.1:1/"}, "--prometheus-url"),
        Arguments.of(new String[] {"--kafka-bootstrap-servers", "no-port"}, "--kafka-bootstrap-servers"),
        Arguments.of(new String[] {"--prometheus-url", "http://p:9090", "--backends-file", "pom.xml"}, "--backends-file"));
  }

  @Test
  void aCredentialWithoutTheServerItIsForIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path token = java.nio.file.Files.writeString(dir.resolve("token"), "t");
    java.nio.file.Path props = java.nio.file.Files.writeString(dir.resolve("k.properties"), "sasl.mechanism=PLAIN\n");
    Run r = run("--prometheus-bearer-token-file", token.toString());
    assertThat(r.rc()).isEqualTo(2);
    assertThat(r.err()).contains("--prometheus-bearer-token-file", "--prometheus-url");
    r = run("--kafka-client-properties", props.toString());
    assertThat(r.rc()).isEqualTo(2);
    assertThat(r.err()).contains("--kafka-client-properties", "--kafka-bootstrap-servers");
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badFlags")
  void badFlagsExitWith2NamingTheFlag(String[] args, String flag) {
    Run r = run(args);
    assertThat(r.rc()).isEqualTo(2);
    assertThat(r.err()).contains(flag).doesNotContain("s3cret");
  }

  @Test
  void metricsPortInUseNamesThePort() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      String port = Integer.toString(taken.getLocalPort());
      Run r = run("--grpc-port", "0", "--metrics-port", port);
      assertThat(r.rc()).isEqualTo(1);
      assertThat(r.err()).contains("--metrics-port " + port, ":" + port);
    }
  }

  @Test
  void badDurationNamesTheAcceptedForm() {
    assertThat(run("--stale-after", "forever").err()).contains("--stale-after", "'forever'", "500ms, 5s, 2m or 1h");
  }

  @Test
  void redactsCredentialsInUrls() {
    assertThat(Main.redactUserInfo("http://user:secret@prom:9090/x")).isEqualTo("http://***@prom:9090/x");
  }
}
