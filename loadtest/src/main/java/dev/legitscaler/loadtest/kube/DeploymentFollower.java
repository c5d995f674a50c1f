package dev.legitscaler.loadtest.kube;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Follows a Deployment's {@code spec.replicas} with {@code kubectl get deployment NAME --watch}: one
 * background loop owns the kubectl process, reads one number per line and calls the listener when the
 * number changes. The API server ends a watch after a while (and kubectl exits); the loop then starts a
 * new one after {@code restartDelay}, and the first line of the new watch is the current value, so no
 * change is lost, only delayed.
 *
 * <p>How it plugs into {@code loadtest run}: where the platform now passes the emulator's
 * {@code Listener.onScale(change)} to its replica manager ({@code scaleTo(change.to())}), a
 * {@code --control-plane real} run would start the control plane of {@code scripts/k8s/test-k8s.sh}, apply
 * the scenario's ScaledObject with {@code scalerAddress: 127.0.0.1:<port>} and a Deployment of the model,
 * and give the same {@code scaleTo} to a follower of that Deployment; the report's replica timeline is
 * then the follower's callbacks.
 */
public final class DeploymentFollower implements AutoCloseable {
  /** Receives the new {@code spec.replicas}, on the follower's thread. */
  @FunctionalInterface
  public interface Listener {
    void onReplicas(int replicas);
  }

  private final List<String> command;
  private final Listener listener;
  private final Duration restartDelay;
  private final Thread loop;
  private volatile boolean closed;
  private volatile Process process;
  private int last = -1;

  private DeploymentFollower(List<String> command, Listener listener, Duration restartDelay) {
    this.command = List.copyOf(command);
    this.listener = Objects.requireNonNull(listener, "listener");
    this.restartDelay = Objects.requireNonNull(restartDelay, "restartDelay");
    this.loop = new Thread(this::run, "deployment-follower");
    this.loop.setDaemon(true);
  }

  /**
   * Starts following {@code namespace/name}.
   *
   * @param kubectl the kubectl command and its global flags, e.g. {@code [kubectl, --kubeconfig, FILE]}
   */
  public static DeploymentFollower start(List<String> kubectl, String namespace, String name, Listener listener) {
    return startCommand(watchCommand(kubectl, namespace, name), listener, Duration.ofSeconds(1));
  }

  /** The kubectl line: one {@code spec.replicas} per line, the current value first. */
  static List<String> watchCommand(List<String> kubectl, String namespace, String name) {
    List<String> c = new ArrayList<>(kubectl);
    c.addAll(List.of("get", "deployment", name, "-n", namespace, "--watch", "-o", "jsonpath={.spec.replicas}{\"\\n\"}"));
    return c;
  }

  /** Runs {@code command} (any process printing one replica count per line) instead of kubectl. */
  static DeploymentFollower startCommand(List<String> command, Listener listener, Duration restartDelay) {
    DeploymentFollower f = new DeploymentFollower(command, listener, restartDelay);
    f.loop.start();
    return f;
  }

  private void run() {
    while (!closed) {
      try {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process = p;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while (!closed && (line = r.readLine()) != null) {
            accept(line.trim());
          }
        }
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        // kubectl missing or the pipe broke: retried after the delay, like an ended watch
      } catch (InterruptedException e) {
        return;
      }
      if (!closed) {
        try {
          Thread.sleep(restartDelay.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** A line that is not a whole number (a warning, an empty line before the first write) is skipped. */
  private void accept(String line) {
    if (line.isEmpty() || !line.chars().allMatch(Character::isDigit) || line.length() > 9) {
      return;
    }
    int n = Integer.parseInt(line);
    if (n != last) {
      last = n;
      listener.onReplicas(n);
    }
  }

  /** Whether the loop (and so possibly its process) is still running. */
  boolean running() {
    Process p = process;
    return loop.isAlive() || (p != null && p.isAlive());
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    Process p = process;
    if (p != null) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    loop.interrupt();
    loop.join(TimeUnit.SECONDS.toMillis(10));
  }
}
