package io.pgsplit.it.consistency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consistency measurements, one line each, on standard output (the class's surefire output file), in
 * target/pgsplit-it.log next to the proxy's own lines, and in {@value #FILE}: the first line of a test JVM replaces
 * what an earlier run left there, later lines are appended, so the file always holds one run.
 */
final class ConsistencyReport {
  static final String FILE = "target/consistency-report.txt";
  private static final Logger log = LoggerFactory.getLogger(ConsistencyReport.class);
  private static boolean written;

  private ConsistencyReport() {}

  static synchronized void record(String line) {
    System.out.println(line);
    log.info(line);
    StandardOpenOption mode = written ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    try {
      Files.writeString(Path.of(FILE), line + System.lineSeparator(), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, mode);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + FILE, e);
    }
    written = true;
  }
}
