package io.pgsplit.it;

import io.pgsplit.cluster.PgBinaries;

/**
 * Which PostgreSQL the tests run against: the local installation by default, or — with
 * {@code -Dpgsplit.test.postgres=zonky}, as the build's second surefire run does for the routing
 * tests — the PostgreSQL 17 binaries published on Maven Central.
 */
final class TestPostgres {
  static final String PROPERTY = "pgsplit.test.postgres";

  private TestPostgres() {
  }

  static PgBinaries binaries() {
    return "zonky".equals(System.getProperty(PROPERTY)) ? PgBinaries.fromZonky() : PgBinaries.locate();
  }
}
