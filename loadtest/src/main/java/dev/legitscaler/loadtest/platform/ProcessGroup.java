package dev.legitscaler.loadtest.platform;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Owns every child process of one platform run and stops them in reverse start order — on close, on
 * failure, and on Ctrl-C (a JVM shutdown hook), so no process is left behind.
 */
public final class ProcessGroup implements AutoCloseable {
  private final Deque<AutoCloseable> members = new ArrayDeque<>();
  private final Thread hook = new Thread(this::stopAll, "platform-shutdown");
  private boolean closed;

  public ProcessGroup() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  public synchronized <T extends AutoCloseable> T add(T member) {
    if (closed) {
      throw new IllegalStateException("process group already closed");
    }
    members.push(member);
    return member;
  }

  private synchronized void stopAll() {
    closed = true;
    while (!members.isEmpty()) {
      AutoCloseable m = members.pop();
      try {
        if (m instanceof ManagedProcess p) {
          p.stop(Duration.ofSeconds(10));
        } else {
          m.close();
        }
      } catch (Exception e) {
        System.err.println("platform: stopping " + m + " failed: " + e);
      }
    }
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running or ran
    }
  }
}
