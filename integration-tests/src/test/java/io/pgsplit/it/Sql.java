package io.pgsplit.it;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One-value queries and plain statements, through a client connection or as superuser straight on a node, to keep
 * the tests about what they check rather than about JDBC plumbing. Shared by every test package.
 */
public final class Sql {
  private Sql() {}

  /** The first column of the first row; null when there is no row. */
  public static String scalar(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      return row.next() ? row.getString(1) : null;
    }
  }

  public static long scalarLong(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      if (!row.next()) {
        throw new AssertionError("No row from: " + sql);
      }
      return row.getLong(1);
    }
  }

  /** Each statement in turn, on one connection. */
  public static void execute(Connection connection, String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** {@link #scalar} as superuser on database "app" of {@code node}, bypassing the proxy. */
  public static String superuserScalar(PgNode node, String sql) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(PgCluster.APP_DATABASE)) {
      return scalar(connection, sql);
    }
  }

  /** {@link #execute} as superuser on database "app" of {@code node}, e.g. ALTER SYSTEM or replay control. */
  public static void superuserExecute(PgNode node, String... statements) throws SQLException {
    try (Connection connection = node.connectAsSuperuser(PgCluster.APP_DATABASE)) {
      execute(connection, statements);
    }
  }
}
