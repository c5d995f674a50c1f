package dev.legitscaler.scaler.signal.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BearerTokenFileTest {
  @TempDir Path dir;

  static Stream<Arguments> contents() {
    return Stream.of(
        Arguments.of("abc", "abc"),
        Arguments.of("abc\n", "abc"),
        Arguments.of("  eyJhbGciOi.x.y \r\n", "eyJhbGciOi.x.y"),
        Arguments.of("\n", null),
        Arguments.of("", null),
        Arguments.of("two\nlines", null),
        Arguments.of("tab\tinside", null));
  }

  @ParameterizedTest
  @MethodSource("contents")
  void tokenIsTheTrimmedFileContent(String content, String expected) throws IOException {
    Path f = Files.writeString(dir.resolve("token"), content);
    assertThat(new BearerTokenFile(f).current().orElse(null)).isEqualTo(expected);
  }

  @Test
  void rewrittenFileIsReRead() throws IOException {
    Path f = Files.writeString(dir.resolve("token"), "first");
    BearerTokenFile token = new BearerTokenFile(f);
    assertThat(token.current()).contains("first");
    Files.writeString(f, "second-token");
    // Same second on a coarse file system must not hide the change: size differs, and we also move mtime.
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(token.current()).contains("second-token");
  }

  @Test
  void kubernetesStyleSymlinkSwapIsSeen() throws IOException {
    // A mounted Secret: token -> ..data/token, ..data -> ..<timestamp>; rotation swaps ..data.
    Path v1 = Files.createDirectories(dir.resolve("..v1"));
    Path v2 = Files.createDirectories(dir.resolve("..v2"));
    Files.writeString(v1.resolve("token"), "tok-1");
    Files.writeString(v2.resolve("token"), "tok-2"); // same size, maybe same mtime: only identity differs
    Files.setLastModifiedTime(v2.resolve("token"), Files.getLastModifiedTime(v1.resolve("token")));
    Path data = dir.resolve("..data");
    Files.createSymbolicLink(data, v1.getFileName());
    Path token = Files.createSymbolicLink(dir.resolve("token"), Path.of("..data/token"));
    BearerTokenFile file = new BearerTokenFile(token);
    assertThat(file.current()).contains("tok-1");

    Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
    Files.move(tmp, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    assertThat(file.current()).contains("tok-2");
  }

  @Test
  void unreadableFileKeepsTheLastGoodToken() throws IOException {
    Path f = Files.writeString(dir.resolve("token"), "good");
    BearerTokenFile token = new BearerTokenFile(f);
    assertThat(token.current()).contains("good");
    Files.delete(f);
    assertThat(token.current()).contains("good");
    Files.writeString(f, "rotated");
    assertThat(token.current()).contains("rotated");
    assertThat(List.of(new BearerTokenFile(dir.resolve("missing")).current().isPresent())).containsExactly(false);
  }
}
