package dev.legitscaler.scaler.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Identity of a Watch: the ScaledObject plus its whole trigger metadata, so that two triggers of one
 * ScaledObject (or an edited trigger) get separate watches. Equality compares the full metadata; the
 * short {@code metadataHash} only names the HPA metric (two maps with equal hashes still get two
 * watches, they merely publish under the same metric name).
 */
public record WatchKey(String namespace, String name, Map<String, String> metadata, String metadataHash) {

  public WatchKey {
    metadata = Map.copyOf(metadata);
  }

  public static WatchKey of(String namespace, String name, Map<String, String> metadata) {
    return new WatchKey(namespace, name, metadata, hash(metadata));
  }

  /** First 10 hex digits of SHA-256 over the sorted {@code key=value} lines. Stable across restarts. */
  static String hash(Map<String, String> metadata) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /**
   * From the digest of the metadata (a function of it, so equal keys hash equally): a registry lookup on
   * every GetMetrics then hashes three short strings instead of walking the whole map; equality still
   * compares the whole metadata.
   */
  @Override
  public int hashCode() {
    return Objects.hash(namespace, name, metadataHash);
  }

  @Override
  public String toString() {
    return namespace + "/" + name + "#" + metadataHash;
  }
}
