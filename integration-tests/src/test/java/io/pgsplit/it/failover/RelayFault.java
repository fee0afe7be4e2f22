package io.pgsplit.it.failover;

/** What a {@link FaultyRelay} currently does to the connections it relays; one fault at a time. */
sealed interface RelayFault {
  RelayFault NONE = new None();

  /** Bytes pass unchanged. */
  record None() implements RelayFault {}

  /** Every chunk, in both directions, is passed on this long after it arrived. */
  record Latency(long delayNanos) implements RelayFault {}

  /** Bytes are read and dropped in both directions; connections stay open and new ones are accepted. */
  record BlackHole() implements RelayFault {}

  /**
   * Each connection, open or new, may relay this many more bytes from server to client; the chunk that would exceed
   * the budget is dropped and both of its sockets are reset. Compared by identity: every call arms a fresh budget.
   */
  record ResetAfter(long bytes) implements RelayFault {}

  /** Nothing listens on the relay's port, so the kernel refuses new connections; open ones carry on. */
  record Refuse() implements RelayFault {}
}
