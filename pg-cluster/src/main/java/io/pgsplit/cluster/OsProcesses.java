package io.pgsplit.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Process state and signals for server processes, which are not children of this JVM. */
final class OsProcesses {
  private OsProcesses() {}

  /**
   * Whether {@code pid} is a live process. A dead postmaster is reparented to PID 1, which in a container may never
   * reap it, so a zombie (state Z) or a dying process (X) counts as dead even though its pid still exists.
   */
  static boolean isAlive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name in parentheses may contain spaces; the state is the first field after it.
      char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
      return state != 'Z' && state != 'X';
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  static List<Long> descendants(long pid) {
    return ProcessHandle.of(pid)
        .map(handle -> handle.descendants().map(ProcessHandle::pid).collect(Collectors.toList()))
        .orElseGet(List::of);
  }

  /** Sends {@code signal} (e.g. STOP, CONT, KILL) to every live process in {@code pids}. */
  static void signal(String signal, List<Long> pids) {
    List<String> command = new ArrayList<>(List.of("kill", "-s", signal));
    pids.stream().filter(OsProcesses::isAlive).map(String::valueOf).forEach(command::add);
    if (command.size() == 3) {
      return;
    }
    try {
      Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes());
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new PgClusterException("kill did not finish: " + command);
      }
      // A process may exit between the liveness check and the signal (a backend whose client left): not an error.
      boolean onlyVanished = output.lines().allMatch(line -> line.contains("No such process"));
      if (kill.exitValue() != 0 && !onlyVanished) {
        throw new PgClusterException(String.join(" ", command) + " failed: " + output.trim());
      }
    } catch (IOException e) {
      throw new PgClusterException("Could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgClusterException("Interrupted while signalling " + pids, e);
    }
  }
}
