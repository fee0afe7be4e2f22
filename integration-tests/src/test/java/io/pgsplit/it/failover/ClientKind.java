package io.pgsplit.it.failover;

/** What a load client does in its loop. */
enum ClientKind {
  /** {@code SELECT inet_server_port(), count(*) FROM ledger}: a plain read, routed to any readable replica. */
  READER,
  /** Inserts a fresh ledger id and reports where it landed. */
  WRITER,
  /** A read the hint sends to the primary: a session that never touches a replica. */
  PRIMARY_READER,
  /** Reads inside one {@code BEGIN READ ONLY} transaction pinned to a chosen replica. */
  PINNED_READER
}
