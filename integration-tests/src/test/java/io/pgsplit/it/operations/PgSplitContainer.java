package io.pgsplit.it.operations;

import io.pgsplit.cluster.containers.ContainerControl;
import io.pgsplit.cluster.containers.LocalImages;
import io.pgsplit.cluster.containers.StaleContainers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * pgsplit from its image, as {@code docker run --network host -v DIR:/etc/pgsplit:ro pgsplit:latest --config …}
 * runs it: the image's non-root user, its entry point, signals through {@code docker kill}, the exit code of the
 * container. The config's whole directory is mounted, so that a file rewritten in place reaches {@code --watch}.
 */
final class PgSplitContainer implements PgSplitProcess {
  /** Built by deploy/docker/build-images.sh. */
  static final String IMAGE = "pgsplit:latest";
  private static final String CONFIG_DIRECTORY = "/etc/pgsplit";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  /** As the JVM the other implementation starts: leak reports show up in the output the tests read. */
  private static final String JAVA_OPTIONS = "-Xmx256m -Dio.netty.leakDetection.level=PARANOID";

  private final GenericContainer<?> container;
  private final ContainerControl control;
  private final Path logFile;
  private final String configPath;

  private PgSplitContainer(GenericContainer<?> container, Path logFile, String configPath) {
    this.container = container;
    this.control = new ContainerControl(container);
    this.logFile = logFile;
    this.configPath = configPath;
  }

  static PgSplitContainer start(Path config, Path log, String... options) throws IOException {
    Path directory = config.toAbsolutePath().getParent();
    // The image runs as its own user, who must read what a test wrote into a private temporary directory.
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(log.getParent());
    String configPath = CONFIG_DIRECTORY + "/" + config.getFileName();
    List<String> command = new ArrayList<>(List.of("--config", configPath));
    command.addAll(List.of(options));
    GenericContainer<?> container = new GenericContainer<>(
        LocalImages.require(DockerClientFactory.instance().client(), IMAGE))
        .withImagePullPolicy(LocalImages.NEVER_PULL)
        .withNetworkMode("host")
        .withFileSystemBind(directory.toString(), CONFIG_DIRECTORY, BindMode.READ_ONLY)
        .withEnv("JAVA_TOOL_OPTIONS", JAVA_OPTIONS)
        .withLabels(StaleContainers.ownerLabel())
        .withCommand(command.toArray(String[]::new))
        .withStartupAttempts(1)
        .waitingFor(Wait.forLogMessage(".*" + READY + ".*\\s", 1).withStartupTimeout(START_TIMEOUT));
    PgSplitContainer pgsplit = new PgSplitContainer(container, log, configPath);
    try {
      container.start();
    } catch (RuntimeException e) {
      pgsplit.close();
      throw new AssertionError("pgsplit from " + IMAGE + " did not start\n" + pgsplit.log(), e);
    }
    return pgsplit;
  }

  @Override
  public void signal(String name) {
    control.signal(name);
  }

  @Override
  public String configPath() {
    return configPath;
  }

  @Override
  public synchronized String log() {
    try {
      String output = control.output();
      Files.writeString(logFile, output);
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      return readLogFile();
    }
  }

  @Override
  public OptionalInt exitCode() {
    return control.exitCode().map(code -> OptionalInt.of(code.intValue())).orElse(OptionalInt.empty());
  }

  @Override
  public int awaitExit(Duration timeout) {
    Optional<Long> exit = control.awaitExit(timeout);
    if (exit.isEmpty()) {
      throw new AssertionError("pgsplit in " + container.getContainerName() + " still runs " + timeout.toMillis()
          + " ms later\n" + log());
    }
    return exit.get().intValue();
  }

  /** Keeps the output in the log file, then removes the container, running or not. */
  @Override
  public void close() {
    if (container.getContainerId() != null) {
      log();
    }
    container.stop();
  }

  private String readLogFile() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
