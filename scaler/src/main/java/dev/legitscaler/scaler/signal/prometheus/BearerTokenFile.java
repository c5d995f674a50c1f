package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.ServerDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token for Prometheus, read from a file (a mounted Secret or a projected service-account
 * token). The file is checked on every use and re-read when its modification time, size or identity
 * changed, so a rotated token is picked up at the next query; Kubernetes rotates by swapping a symlink,
 * which the identity check sees. The token itself is never logged or printed.
 */
public final class BearerTokenFile {
  private static final Logger LOG = LoggerFactory.getLogger(BearerTokenFile.class);

  private final Path file;
  private Stamp loadedStamp;
  private String token;
  private boolean lastReadFailed;

  public BearerTokenFile(Path file) {
    this.file = Objects.requireNonNull(file);
  }

  public Path file() {
    return file;
  }

  /**
   * The current token; empty when the file never could be read or is blank. A failed re-read keeps the
   * last good token: a rotation in progress should not cut authentication.
   */
  public synchronized Optional<String> current() {
    Stamp stamp;
    try {
      stamp = Stamp.of(file);
      if (!stamp.equals(loadedStamp)) {
        String read = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (read.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
          // Not a single-line token: sending it would be an invalid header (and say nothing about it).
          throw new IOException("content is not a single-line token");
        }
        token = read.isEmpty() ? null : read;
        loadedStamp = stamp;
        if (lastReadFailed) {
          LOG.info("prometheus bearer token file {} readable again", file);
        }
        lastReadFailed = false;
      }
    } catch (IOException e) {
      if (!lastReadFailed) {
        LOG.warn("cannot read prometheus bearer token file {}: {}", file, e.toString());
      }
      lastReadFailed = true;
    }
    return Optional.ofNullable(token);
  }

  /**
   * Whether the server-wide token may be sent to {@code serverAddress}. When the server has a default
   * Prometheus URL, the token is for that server only: metadata is written by whoever may create a
   * ScaledObject, and a token sent to any address they name would leak. Without a default URL every
   * trigger names its own server, and the operator who configured a token meant it for those.
   */
  public static boolean appliesTo(ServerDefaults defaults, String serverAddress) {
    if (defaults.prometheusBearerTokenFile().isEmpty()) {
      return false;
    }
    return defaults.prometheusUrl()
        .map(url -> origin(QueryMetadata.normalizeAddress("prometheusUrl", url)).equals(origin(serverAddress)))
        .orElse(true);
  }

  private static String origin(String normalizedAddress) {
    int slash = normalizedAddress.indexOf('/', normalizedAddress.indexOf("://") + 3);
    return slash < 0 ? normalizedAddress : normalizedAddress.substring(0, slash);
  }

  private record Stamp(long modifiedNanos, long size, Object key) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size(),
          a.fileKey());
    }
  }
}
