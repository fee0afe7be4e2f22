package io.pgsplit.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One-value queries, to keep the tests about what they check rather than about JDBC plumbing. */
final class Sql {
  private Sql() {}

  /** The first column of the only row; null when there is no row. */
  static String scalar(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      return row.next() ? row.getString(1) : null;
    }
  }

  static long scalarLong(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      if (!row.next()) {
        throw new AssertionError("No row from: " + sql);
      }
      return row.getLong(1);
    }
  }
}
