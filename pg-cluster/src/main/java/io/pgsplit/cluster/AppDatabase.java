package io.pgsplit.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the application role and database on the primary, plus pg_stat_statements where it is queried. */
public final class AppDatabase {
  public static final String NAME = "app";

  private AppDatabase() {}

  public static void create(PgNode primary, String user, String password) throws SQLException {
    create(primary, new Credentials(user, password));
  }

  static void create(PgNode primary, Credentials app) throws SQLException {
    String role = identifier(app.user());
    try (Connection connection = primary.connectAsSuperuser(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD " + literal(app.password()));
      statement.execute("GRANT pg_monitor, pg_read_all_stats TO " + role);
      statement.execute("CREATE DATABASE " + identifier(NAME) + " OWNER " + role);
      statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
    try (Connection connection = primary.connectAsSuperuser(NAME); Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
  }

  /** DDL cannot take bind parameters for names and passwords, so they are quoted here. */
  private static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
