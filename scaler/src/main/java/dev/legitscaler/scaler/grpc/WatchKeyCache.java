package dev.legitscaler.scaler.grpc;

import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.WatchKey;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WatchKeys by the ScaledObjectRef as KEDA sends it. A WatchKey hashes the sorted metadata with
 * SHA-256, which on the GetMetrics path cost more than the rest of the handler together; KEDA sends
 * the same refs again and again, and a ref's equals/hashCode (protobuf value semantics) is far
 * cheaper. Bounded: past {@code capacity} distinct refs the cache is emptied and refills with the refs
 * still in use, so edited or deleted ScaledObjects cannot grow it.
 */
final class WatchKeyCache {
  private final int capacity;
  private final ConcurrentHashMap<ScaledObjectRef, WatchKey> keys = new ConcurrentHashMap<>();

  WatchKeyCache(int capacity) {
    this.capacity = capacity;
  }

  WatchKey of(ScaledObjectRef ref) {
    WatchKey k = keys.get(ref);
    if (k == null) {
      k = WatchKey.of(ref.getNamespace(), ref.getName(), ref.getScalerMetadataMap());
      if (keys.size() >= capacity) {
        keys.clear();
      }
      keys.put(ref, k);
    }
    return k;
  }

  int size() {
    return keys.size();
  }
}
