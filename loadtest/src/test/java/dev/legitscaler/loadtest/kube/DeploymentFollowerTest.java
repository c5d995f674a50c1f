package dev.legitscaler.loadtest.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The follower's loop with a process that prints what {@code kubectl get deployment --watch} prints
 * (the real kubectl against a real API server runs in make test-k8s's environment, not here).
 */
class DeploymentFollowerTest {

  @Test
  void reportsChangesOnlyAndSkipsNonNumbers() throws Exception {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    try (DeploymentFollower f = DeploymentFollower.startCommand(
        List.of("sh", "-c", "printf '4\\n4\\nWarning: x\\n\\n5\\n5\\n6\\n'; exec sleep 60"), n -> {
          seen.add(n);
          three.countDown();
        }, Duration.ofSeconds(1))) {
      assertThat(three.await(30, TimeUnit.SECONDS)).as("three changes within 30 s").isTrue();
    }
    assertThat(seen).containsExactly(4, 5, 6);
  }

  @Test
  void anEndedWatchIsStartedAgainAndItsFirstValueCounts() throws Exception {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    CountDownLatch two = new CountDownLatch(2);
    // each run prints the current value and ends, as a watch the API server closes: 4, then 4 again
    // (no change), then the loop keeps restarting; the file makes the second run print 5
    java.nio.file.Path state = java.nio.file.Files.createTempFile("follower", ".txt");
    try (DeploymentFollower f = DeploymentFollower.startCommand(
        List.of("sh", "-c", "if [ -s '" + state + "' ]; then echo 5; else echo 4; echo x > '" + state + "'; fi"), n -> {
          seen.add(n);
          two.countDown();
        }, Duration.ofMillis(100))) {
      assertThat(two.await(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      java.nio.file.Files.deleteIfExists(state);
    }
    assertThat(seen).containsExactly(4, 5);
  }

  @Test
  void theKubectlLineWatchesSpecReplicas() {
    assertThat(DeploymentFollower.watchCommand(List.of("kubectl", "--kubeconfig", "k.yaml"), "ml", "ml-model")).containsExactly(
        "kubectl", "--kubeconfig", "k.yaml", "get", "deployment", "ml-model", "-n", "ml", "--watch", "-o",
        "jsonpath={.spec.replicas}{\"\\n\"}");
  }

  @Test
  void closeEndsTheProcessPromptly() throws Exception {
    DeploymentFollower f = DeploymentFollower.startCommand(List.of("sh", "-c", "exec sleep 600"), n -> {}, Duration.ofSeconds(1));
    Thread.sleep(200);
    assertThat(f.running()).isTrue();
    f.close();
    assertThat(f.running()).as("loop and process ended by close()").isFalse();
  }
}
