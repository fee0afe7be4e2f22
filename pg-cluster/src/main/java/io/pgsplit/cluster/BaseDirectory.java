package io.pgsplit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The directory holding every node's directory, and whether the harness created it (and so deletes it). */
record BaseDirectory(Path path, boolean createdByHarness) {
  private static final Set<PosixFilePermission> TRAVERSABLE = PosixFilePermissions.fromString("rwxr-xr-x");

  /**
   * Uses {@code requested}, or a fresh temp directory when it is null. The server account must be able to reach
   * its node directories through this one, so what the harness creates is world-traversable.
   */
  static BaseDirectory prepare(Path requested, ServerAccount account) {
    try {
      BaseDirectory base;
      if (requested == null) {
        Path temp = Files.createTempDirectory("pgsplit-cluster-");
        Files.setPosixFilePermissions(temp, TRAVERSABLE);
        base = new BaseDirectory(temp, true);
      } else {
        Path absolute = requested.toAbsolutePath();
        boolean existed = Files.isDirectory(absolute);
        Files.createDirectories(absolute, traversable());
        base = new BaseDirectory(absolute, !existed);
      }
      if (!account.canTraverse(base.path())) {
        throw new IllegalStateException("User " + account + " cannot reach " + base.path()
            + "; PostgreSQL runs as that user, so choose a base directory every user can traverse (e.g. under /tmp)");
      }
      return base;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the cluster directory", e);
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> traversable() {
    return PosixFilePermissions.asFileAttribute(TRAVERSABLE);
  }
}
