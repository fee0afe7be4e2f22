package io.pgsplit.it.failover;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A snapshot of load outcomes and the slices the failover tests look at. */
record LoadOutcomes(List<LoadOutcome> all) {

  LoadOutcomes {
    all = List.copyOf(all);
  }

  LoadOutcomes of(ClientKind... kinds) {
    Set<ClientKind> wanted = Set.of(kinds);
    return filter(outcome -> wanted.contains(outcome.kind()));
  }

  /** Attempts that began at or after {@code nanos} (a {@link System#nanoTime()} value). */
  LoadOutcomes startedAfter(long nanos) {
    return filter(outcome -> outcome.startNanos() >= nanos);
  }

  LoadOutcomes startedBefore(long nanos) {
    return filter(outcome -> outcome.startNanos() < nanos);
  }

  LoadOutcomes failed() {
    return filter(outcome -> !outcome.ok());
  }

  /** Attempts the client gave up on at its socket timeout: hangs. */
  LoadOutcomes timedOut() {
    return filter(LoadOutcome::timedOut);
  }

  /** Statements that got an answer (connection openings excluded). */
  LoadOutcomes answered() {
    return filter(outcome -> outcome.ok() && !outcome.connecting());
  }

  LoadOutcomes servedBy(int port) {
    return filter(outcome -> outcome.serverPort() == port);
  }

  /** Attempts that were still running at {@code nanos} or began later. */
  LoadOutcomes endedAfter(long nanos) {
    return filter(outcome -> outcome.endNanos() > nanos);
  }

  LoadOutcomes withError(String error) {
    return filter(outcome -> error.equals(outcome.error()));
  }

  /** The numbers of the clients that made these attempts. */
  Set<Integer> clients() {
    return all.stream().map(LoadOutcome::client).collect(Collectors.toCollection(TreeSet::new));
  }

  int count() {
    return all.size();
  }

  Map<String, Long> errorsByState() {
    return all.stream().filter(outcome -> !outcome.ok())
        .collect(Collectors.groupingBy(LoadOutcome::error, TreeMap::new, Collectors.counting()));
  }

  /** Answers per server port. */
  Map<Integer, Long> answersByPort() {
    return all.stream().filter(outcome -> outcome.ok() && !outcome.connecting())
        .collect(Collectors.groupingBy(LoadOutcome::serverPort, TreeMap::new, Collectors.counting()));
  }

  OptionalLong earliestEnd() {
    return all.stream().mapToLong(LoadOutcome::endNanos).min();
  }

  long longestMillis() {
    return all.stream().mapToLong(LoadOutcome::durationMillis).max().orElse(0);
  }

  /** The median duration, or 0 when empty. */
  long medianMillis() {
    long[] sorted = all.stream().mapToLong(LoadOutcome::durationMillis).sorted().toArray();
    return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
  }

  /** A few distinct error messages, for assertion descriptions and the report. */
  List<String> sampleMessages() {
    return all.stream().filter(outcome -> !outcome.ok()).map(o -> o.error() + ": " + o.message())
        .distinct().limit(5).toList();
  }

  String summary() {
    return count() + " attempts, " + answered().count() + " answered, errors " + errorsByState();
  }

  private LoadOutcomes filter(Predicate<LoadOutcome> predicate) {
    return new LoadOutcomes(all.stream().filter(predicate).toList());
  }
}
