package io.pgsplit.it.session;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One-line queries. */
final class Sql {
  private Sql() {}

  /** The first column of the first row, as text. */
  static String scalar(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      if (!row.next()) {
        throw new AssertionError("No row from: " + sql);
      }
      return row.getString(1);
    }
  }
}
