package io.pgsplit.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** How the harness logs in to a node as superuser: bounded waits, so a frozen server fails a call instead of hanging it. */
public final class SuperuserLogin {
  private SuperuserLogin() {}

  public static Connection connect(String jdbcUrl, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", PgNode.SUPERUSER);
    properties.setProperty("password", password);
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "10");
    return DriverManager.getConnection(jdbcUrl, properties);
  }
}
