package io.pgsplit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OsProcessesTest {

  @Test
  void unreapedZombieCountsAsDeadThoughItsPidStillExists() throws IOException {
    // The shell forks "true" and then becomes "sleep", which never reaps it: a zombie, like an orphaned postmaster.
    Process parent = new ProcessBuilder("sh", "-c", "true & exec sleep 30").start();
    try {
      Await.until("the zombie child", Duration.ofSeconds(10), () -> zombieChildOf(parent) > 0, () -> "");
      long zombie = zombieChildOf(parent);

      assertThat(ProcessHandle.of(zombie)).isPresent();
      assertThat(OsProcesses.isAlive(zombie)).isFalse();
      assertThat(OsProcesses.isAlive(parent.pid())).isTrue();
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void stopAndContinueFreezeAndThawAProcess() throws IOException {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      OsProcesses.signal("STOP", List.of(sleeper.pid()));
      Await.until("state T", Duration.ofSeconds(10), () -> state(sleeper.pid()) == 'T', () -> "");
      OsProcesses.signal("CONT", List.of(sleeper.pid()));
      Await.until("state S", Duration.ofSeconds(10), () -> state(sleeper.pid()) == 'S', () -> "");
    } finally {
      sleeper.destroyForcibly();
    }
  }

  private static long zombieChildOf(Process parent) {
    return parent.children().mapToLong(ProcessHandle::pid).filter(pid -> state(pid) == 'Z').findFirst().orElse(-1);
  }

  private static char state(long pid) {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException e) {
      return '?';
    }
  }
}
