package dev.legitscaler.loadtest.keda;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Gives the emulator a gRPC channel for a trigger's {@code scalerAddress}. KEDA keeps one connection
 * per address in a pool; so does {@link #plaintext()}.
 */
@FunctionalInterface
public interface ScalerConnector {
  Channel channelFor(String scalerAddress);

  /** Releases what the connector opened; called by {@link KedaHpaEmulator#close()}. */
  default void close() {}

  /** Plaintext channels, one per address, closed with the connector. */
  static ScalerConnector plaintext() {
    return new ScalerConnector() {
      private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

      @Override
      public Channel channelFor(String scalerAddress) {
        return channels.computeIfAbsent(scalerAddress, a -> ManagedChannelBuilder.forTarget(a).usePlaintext().build());
      }

      @Override
      public void close() {
        for (ManagedChannel c : channels.values()) {
          c.shutdown();
        }
        for (ManagedChannel c : channels.values()) {
          try {
            if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
              c.shutdownNow();
            }
          } catch (InterruptedException e) {
            c.shutdownNow();
            Thread.currentThread().interrupt();
          }
        }
      }
    };
  }
}
