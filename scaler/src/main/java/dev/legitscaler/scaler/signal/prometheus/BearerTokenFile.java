package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.Backends;
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
   * The token file for {@code serverAddress}: that of the declared backend with exactly this address, if
   * it has one. Metadata is written by whoever may create a ScaledObject; a token sent to any address
   * they name would leak, so an undeclared address never gets one (namespaces are checked at parse time).
   */
  public static Optional<Path> fileFor(ServerDefaults defaults, String serverAddress) {
    return defaults.backends().prometheusAt(serverAddress).flatMap(Backends.Prometheus::bearerTokenFile);
  }

  /** Whether a token is sent to {@code serverAddress} (see {@link #fileFor}). */
  public static boolean appliesTo(ServerDefaults defaults, String serverAddress) {
    return fileFor(defaults, serverAddress).isPresent();
  }

  private record Stamp(long modifiedNanos, long size, Object key) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size(),
          a.fileKey());
    }
  }
}
