package io.pgsplit.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a server log, for error messages. */
public final class LogTail {
  static final int DEFAULT_LINES = 40;
  /** Logs grow large under benchmarks; the tail is always within the last few KiB. */
  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  public static String of(Path log) {
    return of(log, DEFAULT_LINES);
  }

  static String of(Path log, int lines) {
    if (!Files.isRegularFile(log)) {
      return "(no log at " + log + ")";
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - MAX_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
      List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
      return "--- last " + tail.size() + " lines of " + log + " ---\n" + String.join("\n", tail);
    } catch (IOException e) {
      return "(could not read " + log + ": " + e.getMessage() + ")";
    }
  }
}
