package io.pgsplit.it.session;

import java.sql.SQLException;

/** The SQLSTATE a JDBC call failed with, for comparing the proxy's answers with PostgreSQL's own. */
final class SqlStates {
  /** A JDBC call that may fail. */
  @FunctionalInterface
  interface SqlCall {
    void run() throws SQLException;
  }

  /** The outcome of a call that succeeded. */
  static final String SUCCESS = "00000";

  private SqlStates() {}

  /** {@link #SUCCESS}, or the SQLSTATE of the SQLException the call threw. */
  static String of(SqlCall call) {
    try {
      call.run();
      return SUCCESS;
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }
}
