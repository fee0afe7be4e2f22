package io.pgsplit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the configuration files of a node. Settings shared by every node go into postgresql.conf, which a replica
 * inherits from its primary's copy; what differs per node (port, socket directory, upstream) goes into
 * postgresql.auto.conf, which is read last and rewritten for every node.
 */
final class NodeConfiguration {
  /** Unix socket paths are limited to 108 bytes including the ".s.PGSQL.<port>" file name. */
  private static final int MAX_SOCKET_DIRECTORY_LENGTH = 90;

  /**
   * The Unix socket trusts, but only the server's OS account can reach it (a 0700 directory, a 0700 socket); every
   * TCP login needs a password, standbys and pg_basebackup included: any local user can reach 127.0.0.1.
   */
  private static final String HBA = String.join("\n",
      "# Written by pgsplit LocalPgCluster.",
      "local all all trust",
      "local replication all trust",
      "host all all 127.0.0.1/32 scram-sha-256",
      "host replication all 127.0.0.1/32 scram-sha-256",
      "");

  /** As {@link #HBA}, but TCP connections only over TLS. */
  private static final String HBA_TLS_ONLY = String.join("\n",
      "# Written by pgsplit LocalPgCluster: TCP connections must use TLS.",
      "local all all trust",
      "local replication all trust",
      "hostssl all all 127.0.0.1/32 scram-sha-256",
      "hostssl replication all 127.0.0.1/32 scram-sha-256",
      "");
  private static final String CERTIFICATE_FILE = "server.crt";
  private static final String KEY_FILE = "server.key";

  private final Map<String, String> sharedSettings;
  private final ClusterSpec.TlsFiles tls;

  NodeConfiguration(Map<String, String> extraSettings, ClusterSpec.TlsFiles tls) {
    this.tls = tls;
    Map<String, String> settings = new LinkedHashMap<>();
    if (tls != null) {
      // Relative to the data directory, so a replica's copy of it finds its own.
      settings.put("ssl", "on");
      settings.put("ssl_cert_file", CERTIFICATE_FILE);
      settings.put("ssl_key_file", KEY_FILE);
    }
    settings.putAll(extraSettings);
    this.sharedSettings = ServerSettings.forEveryNode(settings);
  }

  /** Configures a freshly initialised data directory as a primary. */
  void writePrimary(LocalPgNode node) {
    append(node.dataDirectory().resolve("postgresql.conf"), ServerSettings.render("Written by pgsplit LocalPgCluster for every node.",
        sharedSettings));
    write(node.dataDirectory().resolve("pg_hba.conf"), tls == null ? HBA : HBA_TLS_ONLY);
    write(node.dataDirectory().resolve("postgresql.auto.conf"), ServerSettings.render("This node's identity.", identity(node)));
    if (tls != null) {
      copyPrivate(tls.certificateChain(), node.dataDirectory().resolve(CERTIFICATE_FILE));
      copyPrivate(tls.privateKey(), node.dataDirectory().resolve(KEY_FILE));
    }
  }

  /** PostgreSQL refuses a key file that others may read; the caller hands the copy over to the server's account. */
  private static void copyPrivate(Path source, Path target) {
    try {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not copy " + source + " into the data directory", e);
    }
  }

  /**
   * Turns a copy of the primary's data directory into a standby that streams from {@code primary}, logging in as
   * the superuser with {@code password} (kept in postgresql.auto.conf, inside the 0700 data directory, as
   * {@code pg_basebackup -R} would keep it).
   */
  void writeStandby(LocalPgNode node, PgNode primary, String password) {
    Map<String, String> settings = identity(node);
    settings.put("primary_conninfo", "host=" + primary.host() + " port=" + primary.port() + " user="
        + PgNode.SUPERUSER + " password=" + conninfoValue(password) + " application_name=" + node.name());
    write(node.dataDirectory().resolve("postgresql.auto.conf"), ServerSettings.render("This node's identity.", settings));
    write(node.dataDirectory().resolve("standby.signal"), "");
  }

  private static Map<String, String> identity(LocalPgNode node) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("port", Integer.toString(node.port()));
    String socketDirectory = node.nodeDirectory().toString();
    // Without a short enough directory the node gets no Unix socket; the harness itself only uses TCP.
    settings.put("unix_socket_directories",
        socketDirectory.length() <= MAX_SOCKET_DIRECTORY_LENGTH ? socketDirectory : "");
    settings.put("unix_socket_permissions", "0700");
    settings.put("cluster_name", node.name());
    return settings;
  }

  /** A libpq connection string value: single-quoted, backslash and quote escaped. */
  static String conninfoValue(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(file, text, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
