package io.pgsplit.it.consistency;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain statements a client sends through pgsplit: session commands and SHOWs. */
final class ClientSql {
  private ClientSql() {}

  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The first column of the one row {@code sql} returns, e.g. the value of a SHOW. */
  static String scalar(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      if (!row.next()) {
        throw new AssertionError("no row from: " + sql);
      }
      return row.getString(1);
    }
  }
}
