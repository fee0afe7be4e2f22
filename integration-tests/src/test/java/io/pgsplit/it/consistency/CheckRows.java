package io.pgsplit.it.consistency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One client's two statements on the {@code checks} table, prepared once per connection as an application would:
 * the INSERT of a new row, and the read that looks it up again by id. Both run in the connection's autocommit mode.
 */
final class CheckRows implements AutoCloseable {
  private static final String INSERT = "INSERT INTO checks (id, writer) VALUES (?, ?)";
  /** The server's port comes back whether or not the row is there, so a miss still names who missed it. */
  private static final String READ_BACK = "SELECT inet_server_port(), EXISTS (SELECT 1 FROM checks WHERE id = ?)";

  /** What one read-back saw. */
  record ReadBack(boolean found, int port) {}

  private final PreparedStatement insert;
  private final PreparedStatement readBack;

  CheckRows(Connection connection) throws SQLException {
    this.insert = connection.prepareStatement(INSERT);
    this.readBack = connection.prepareStatement(READ_BACK);
  }

  void insert(long id, int writer) throws SQLException {
    insert.setLong(1, id);
    insert.setInt(2, writer);
    insert.executeUpdate();
  }

  ReadBack readBack(long id) throws SQLException {
    readBack.setLong(1, id);
    try (ResultSet row = readBack.executeQuery()) {
      if (!row.next()) {
        throw new AssertionError("the read-back of row " + id + " returned no row at all");
      }
      return new ReadBack(row.getBoolean(2), row.getInt(1));
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      insert.close();
    } finally {
      readBack.close();
    }
  }
}
