package io.pgsplit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The OS account that runs the server binaries. PostgreSQL refuses to run as root, so when this JVM is root every
 * server binary runs through {@code runuser} as {@code postgres} (or {@code nobody} where no such user exists),
 * and the files it must own are handed over to that user.
 */
final class ServerAccount {
  private static final List<Path> RUNUSER_LOCATIONS = List.of(Path.of("/usr/sbin/runuser"), Path.of("/sbin/runuser"));

  private final Optional<String> runAs;

  private ServerAccount(Optional<String> runAs) {
    this.runAs = runAs;
  }

  static ServerAccount forThisProcess() {
    if (!isRoot()) {
      return new ServerAccount(Optional.empty());
    }
    return new ServerAccount(Optional.of(userExists("postgres") ? "postgres" : "nobody"));
  }

  /** True when server binaries run as another user than this JVM. */
  boolean dropsPrivileges() {
    return runAs.isPresent();
  }

  String userName() {
    return runAs.orElse(System.getProperty("user.name"));
  }

  /** The command line that runs {@code command} as this account. */
  List<String> wrap(List<String> command) {
    if (runAs.isEmpty()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(runuser(), "-u", runAs.get(), "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Makes this account the owner of {@code path} and, for a directory, of everything below it. */
  void handOver(Path path) {
    if (runAs.isEmpty()) {
      return;
    }
    try (Stream<Path> tree = Files.walk(path)) {
      UserPrincipal owner = lookup(runAs.get());
      for (Path p : (Iterable<Path>) tree::iterator) {
        Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(owner);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not hand " + path + " over to " + runAs.get(), e);
    }
  }

  /** Whether this account can look up entries in {@code directory}, i.e. search every directory on the way. */
  boolean canTraverse(Path directory) {
    if (runAs.isEmpty()) {
      return Files.isExecutable(directory);
    }
    try {
      Process test = new ProcessBuilder(wrap(List.of("test", "-x", directory.toString()))).start();
      if (!test.waitFor(10, TimeUnit.SECONDS)) {
        test.destroyForcibly();
        return false;
      }
      return test.exitValue() == 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + runuser(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean isRoot() {
    try {
      // /proc/self is owned by the effective uid of the process looking at it.
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static boolean userExists(String name) {
    try {
      lookup(name);
      return true;
    } catch (UserPrincipalNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static UserPrincipal lookup(String name) throws IOException {
    return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
  }

  private static String runuser() {
    return RUNUSER_LOCATIONS.stream().filter(Files::isExecutable).findFirst().map(Path::toString).orElse("runuser");
  }

  @Override
  public String toString() {
    return userName();
  }
}
