package io.pgsplit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinariesLocatorTest {
  @TempDir Path root;

  @Test
  void pgBinVariableWinsOverEveryOtherSource() throws IOException {
    Path override = installation("override");

    assertThat(locator(Map.of("PG_BIN", override.toString()), installation("pg_config")).locate().binDirectory())
        .isEqualTo(override);
  }

  @Test
  void pgBinVariableNamingAnIncompleteDirectoryFailsInsteadOfFallingThrough() throws IOException {
    Path incomplete = Files.createDirectories(root.resolve("incomplete"));

    assertThatThrownBy(() -> locator(Map.of("PG_BIN", incomplete.toString()), installation("pg_config")).locate())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("incomplete");
  }

  @Test
  void pgConfigBindirComesBeforeDistributionDirectories() throws IOException {
    Path fromPgConfig = installation("pg_config");
    installation("usr-lib-postgresql/16/bin");

    assertThat(locator(Map.of(), fromPgConfig).locate().binDirectory()).isEqualTo(fromPgConfig);
  }

  @Test
  void incompletePgConfigBindirIsSkipped() throws IOException {
    Path clientOnly = Files.createDirectories(root.resolve("client-only"));
    Path distribution = installation("usr-lib-postgresql/15/bin");

    assertThat(locator(Map.of(), clientOnly).locate().binDirectory()).isEqualTo(distribution);
  }

  @Test
  void highestCompleteDistributionVersionWinsComparedNumerically() throws IOException {
    installation("usr-lib-postgresql/9.6/bin");
    Path fifteen = installation("usr-lib-postgresql/15/bin");
    Files.createDirectories(root.resolve("usr-lib-postgresql/16/bin"));

    assertThat(locator(Map.of(), null).locate().binDirectory()).isEqualTo(fifteen);
  }

  @Test
  void sourceInstallComesAfterDistributionDirectories() throws IOException {
    Path sourceInstall = installation("usr-local-pgsql/bin");

    assertThat(locator(Map.of(), null).locate().binDirectory()).isEqualTo(sourceInstall);
  }

  @Test
  void bundledBinariesAreTheLastResort() throws IOException {
    Path bundled = installation("bundled");
    BinariesLocator locator = new BinariesLocator(Map.<String, String>of()::get, Optional::empty,
        root.resolve("usr-lib-postgresql"), root.resolve("usr-local-pgsql/bin"),
        () -> Optional.of(PgBinaries.in(bundled)));

    assertThat(locator.locate().binDirectory()).isEqualTo(bundled);
  }

  @Test
  void noBinariesAnywhereFailsNamingTheOverrideVariable() {
    assertThatThrownBy(() -> locator(Map.of(), null).locate()).isInstanceOf(PgClusterException.class)
        .hasMessageContaining("PG_BIN");
  }

  private BinariesLocator locator(Map<String, String> environment, Path pgConfigBindir) {
    return new BinariesLocator(environment::get, () -> Optional.ofNullable(pgConfigBindir),
        root.resolve("usr-lib-postgresql"), root.resolve("usr-local-pgsql/bin"), Optional::empty);
  }

  /** A directory with executable initdb, pg_ctl and postgres; their content never runs. */
  private Path installation(String relative) throws IOException {
    Path bin = Files.createDirectories(root.resolve(relative));
    for (String tool : PgBinaries.SERVER_TOOLS) {
      Files.createFile(bin.resolve(tool), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return bin;
  }
}
