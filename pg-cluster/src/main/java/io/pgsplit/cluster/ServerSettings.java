package io.pgsplit.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The postgresql.conf settings every node of a test cluster runs with, wherever it runs. */
public final class ServerSettings {
  private ServerSettings() {}

  /** The harness's settings, then {@code extraSettings}, which override them. */
  public static Map<String, String> forEveryNode(Map<String, String> extraSettings) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("listen_addresses", "127.0.0.1");
    settings.put("wal_level", "replica");
    settings.put("max_wal_senders", "10");
    settings.put("hot_standby", "on");
    settings.put("hot_standby_feedback", "on");
    // Throwaway clusters: durability across OS crashes is worth nothing, speed is.
    settings.put("fsync", "off");
    settings.put("full_page_writes", "off");
    settings.put("wal_retrieve_retry_interval", "1s");
    settings.put("shared_buffers", "32MB");
    settings.put("max_connections", "200");
    settings.put("shared_preload_libraries", "pg_stat_statements");
    settings.put("pg_stat_statements.track", "all");
    settings.put("logging_collector", "off");
    settings.putAll(extraSettings);
    return Collections.unmodifiableMap(settings);
  }

  /** The settings as configuration file lines; every value quoted, as a configuration file allows. */
  public static String render(String comment, Map<String, String> settings) {
    StringBuilder text = new StringBuilder("\n# ").append(comment).append('\n');
    settings.forEach((name, value) -> text.append(name).append(" = ").append(quote(value)).append('\n'));
    return text.toString();
  }

  /** Backslash and quote are the characters to escape. */
  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
