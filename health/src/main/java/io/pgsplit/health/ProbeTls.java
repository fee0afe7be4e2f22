package io.pgsplit.health;

import javax.net.ssl.SSLSocketFactory;

/** How the monitoring connections (probes, replay positions) use TLS: pgjdbc's sslmode and a socket factory per server. */
public interface ProbeTls {

    /** pgjdbc's {@code sslmode}: disable, prefer or require; any certificate check is the socket factory's. */
    String sslMode();

    /** The factory for connections to {@code server}, or null for pgjdbc's own (only with disable). */
    SSLSocketFactory socketFactory(ServerAddress server);
}
