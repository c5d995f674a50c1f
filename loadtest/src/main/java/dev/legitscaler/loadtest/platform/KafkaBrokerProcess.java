package dev.legitscaler.loadtest.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) in a child JVM, from the
 * Kafka jars on our own class path. Storage is formatted by a separate child JVM because Kafka's
 * StorageTool calls System.exit.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
  private final ManagedProcess process;
  private final int port;

  private KafkaBrokerProcess(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static KafkaBrokerProcess start(Path dir, Duration timeout) throws IOException, InterruptedException {
    dir = dir.toAbsolutePath(); // the children run in other folders
    Files.createDirectories(dir);
    int port = FreePorts.next();
    int controllerPort = FreePorts.next();
    Path config = dir.resolve("server.properties");
    Files.writeString(config, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("data").toAbsolutePath(),
        "num.partitions=1",
        "auto.create.topics.enable=false",
        // one broker: every internal topic must have replication factor 1, or consumers hang
        // looking for the group coordinator
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        ""));
    List<String> jvm = List.of(Java.executable(), "-Xms128m", "-Xmx768m", "-XX:+UseSerialGC", "-cp", Java.classPath());
    ManagedProcess format = ManagedProcess.start("kafka-storage-format",
        concat(jvm, List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString())),
        dir, dir.resolve("format.log"));
    format.awaitExit(timeout);
    ManagedProcess broker = ManagedProcess.start("kafka",
        concat(jvm, List.of("kafka.Kafka", config.toString())), dir, dir.resolve("kafka.log"));
    KafkaBrokerProcess kafka = new KafkaBrokerProcess(broker, port);
    try {
      broker.awaitReady(kafka::answers, timeout);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return kafka;
  }

  private boolean answers() {
    if (!ManagedProcess.portOpen(port)) {
      return false;
    }
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    try (Admin admin = Admin.create(p)) {
      return !admin.describeCluster().nodes().get().isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public ManagedProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(15));
  }
}
