package io.pgsplit.it.operations;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** pgsplit in a JVM of its own: {@code java -jar pgsplit.jar --config FILE}. Closing kills it, by its pid. */
final class JvmPgSplitProcess implements PgSplitProcess {
  /** The launcher the proxy-core module builds; {@code -Dpgsplit.jar=PATH} points elsewhere. */
  private static final Path JAR = Path.of(System.getProperty("pgsplit.jar", "../proxy-core/target/pgsplit.jar"));
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final String configPath;

  private JvmPgSplitProcess(Process process, Path log, Path config) {
    this.process = process;
    this.log = log;
    this.configPath = config.toAbsolutePath().toString();
  }

  /** Starts {@code pgsplit --config config [options]} and returns once it is ready for clients and signals. */
  static JvmPgSplitProcess start(Path config, Path log, String... options) throws IOException {
    return start(List.of(), config, log, Map.of(), options);
  }

  /** As {@link #start(Path, Path, String...)}, with {@code environment} added to the process's own. */
  static JvmPgSplitProcess start(Path config, Path log, Map<String, String> environment, String... options)
      throws IOException {
    return start(List.of(), config, log, environment, options);
  }

  /** As {@link #start}, under {@code nohup}: pgsplit inherits SIGHUP ignored, as an operator's shell would leave it. */
  static JvmPgSplitProcess startUnderNohup(Path config, Path log, String... options) throws IOException {
    return start(List.of("nohup"), config, log, Map.of(), options);
  }

  private static JvmPgSplitProcess start(List<String> launcher, Path config, Path log, Map<String, String> environment,
                                         String... options)
      throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new AssertionError(JAR.toAbsolutePath() + " is missing; build it first with"
          + " mvn -B -q -o package -DskipTests -pl proxy-core -am");
    }
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dio.netty.leakDetection.level=PARANOID", "-jar", JAR.toString(),
        "--config", config.toString()));
    command.addAll(List.of(options));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    JvmPgSplitProcess pgsplit = new JvmPgSplitProcess(process, log, config);
    try {
      pgsplit.awaitLog(READY, START_TIMEOUT);
    } catch (RuntimeException | AssertionError e) {
      pgsplit.close();
      throw e;
    }
    return pgsplit;
  }

  long pid() {
    return process.pid();
  }

  /** {@code kill -s NAME pid}, as a service manager or an operator sends it. */
  @Override
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid())).inheritIO().start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      kill.destroyForcibly();
      throw new AssertionError("Could not send SIG" + name + " to pgsplit " + pid());
    }
  }

  @Override
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** The exit code; fails if the process is still running after {@code timeout}. */
  @Override
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("pgsplit " + pid() + " still runs " + timeout.toMillis() + " ms later\n" + log());
    }
    return process.exitValue();
  }

  @Override
  public String configPath() {
    return configPath;
  }

  @Override
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
