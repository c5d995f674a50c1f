package dev.legitscaler.scaler.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Identity of a Watch: the ScaledObject plus a hash of its trigger metadata, so that two triggers of one
 * ScaledObject (or an edited trigger) get separate watches.
 */
public record WatchKey(String namespace, String name, String metadataHash) {

  public static WatchKey of(String namespace, String name, Map<String, String> metadata) {
    return new WatchKey(namespace, name, hash(metadata));
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

  @Override
  public String toString() {
    return namespace + "/" + name + "#" + metadataHash;
  }
}
