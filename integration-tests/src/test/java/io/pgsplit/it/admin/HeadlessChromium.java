package io.pgsplit.it.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a page in headless Chromium and returns the DOM after its scripts ran for a few seconds of virtual
 * time. Each run gets a fresh profile directory, deleted afterwards; a run past its deadline is killed by pid with
 * all its child processes.
 */
public final class HeadlessChromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  /** Enough virtual time for the status page's first refresh (every 2 s) to fetch and re-render. */
  private static final int VIRTUAL_TIME_BUDGET_MILLIS = 5000;

  private HeadlessChromium() {}

  public static boolean isInstalled() {
    return Files.isExecutable(BINARY);
  }

  public static String dumpDom(URI page) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("pgsplit-chromium-");
    Path stdout = profile.resolveSibling(profile.getFileName() + ".dom");
    Path stderr = profile.resolveSibling(profile.getFileName() + ".err");
    try {
      Process chromium = new ProcessBuilder(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MILLIS,
          "--dump-dom", page.toString()))
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      if (!chromium.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(chromium);
        throw new AssertionError("chromium did not render " + page + " within " + DEADLINE + "\n--- stderr:\n"
            + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      String dom = Files.readString(stdout, StandardCharsets.UTF_8);
      if (chromium.exitValue() != 0 || dom.isBlank()) {
        throw new AssertionError("chromium exited with " + chromium.exitValue() + " rendering " + page
            + "\n--- stderr:\n" + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return dom;
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
      deleteRecursively(profile);
    }
  }

  /** The wrapper script's children first (browser, zygote, renderers), then the process itself. */
  private static void kill(Process chromium) throws InterruptedException {
    chromium.descendants().forEach(ProcessHandle::destroyForcibly);
    chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
