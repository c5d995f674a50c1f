package dev.legitscaler.scaler.grpc;

import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.WatchKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WatchKeys by the ScaledObjectRef as KEDA sends it. A WatchKey hashes the sorted metadata with
 * SHA-256, which on the GetMetrics path cost more than the rest of the handler together; KEDA sends
 * the same refs again and again, and a ref's equals/hashCode (protobuf value semantics) is far
 * cheaper.
 *
 * <p>Only refs whose trigger was accepted are remembered ({@link #remember} is called after the
 * Watch exists), and only small ones: a rejected or large request is never kept, so invalid requests
 * cannot fill the heap. Bounded by count and by bytes: past either bound the cache is emptied and
 * refills with the refs still in use, so edited or deleted ScaledObjects cannot grow it.
 */
final class WatchKeyCache {
  /** A ref larger than this is re-hashed on every call instead of cached (hashing it is cheap anyway). */
  static final int MAX_CACHED_REF_BYTES = 4096;

  private final int capacity;
  private final long maxBytes;
  private final ConcurrentHashMap<ScaledObjectRef, WatchKey> keys = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();

  WatchKeyCache(int capacity) {
    this(capacity, (long) capacity * 1024);
  }

  WatchKeyCache(int capacity, long maxBytes) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** The remembered key, or null. */
  WatchKey cached(ScaledObjectRef ref) {
    return keys.get(ref);
  }

  /** Computes the key without remembering it. */
  static WatchKey compute(ScaledObjectRef ref) {
    return WatchKey.of(ref.getNamespace(), ref.getName(), ref.getScalerMetadataMap());
  }

  /** Remembers {@code key} for an accepted, small {@code ref}. */
  void remember(ScaledObjectRef ref, WatchKey key) {
    int size = ref.getSerializedSize();
    if (size > MAX_CACHED_REF_BYTES) {
      return;
    }
    if (keys.size() >= capacity || bytes.get() + size > maxBytes) {
      keys.clear();
      bytes.set(0);
    }
    if (keys.putIfAbsent(ref, key) == null) {
      bytes.addAndGet(size);
    }
  }

  int size() {
    return keys.size();
  }

  long bytes() {
    return bytes.get();
  }
}
