package io.pgsplit.proxy.frontdoor;

import io.pgsplit.protocol.SqlState;

/**
 * Why the front door refused or closed a client, with what the client is told. The label names the
 * setting that decided it, so {@code pgsplit_client_refusals_total{reason}} points at the knob.
 */
public enum Refusal {
    /** Every slot is taken: refused right after the startup packet, before any authentication work. */
    MAX_CLIENT_CONNECTIONS("max_client_connections", SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already"),
    /** Only the reserved slots are left, and the (authenticated) user is not an admin. */
    RESERVED_CONNECTIONS("reserved_connections", SqlState.TOO_MANY_CONNECTIONS,
            "remaining connection slots are reserved for admin users"),
    /** The pending-login limit was reached and this was the oldest connection still logging in. */
    MAX_PENDING_LOGINS("max_pending_logins", SqlState.TOO_MANY_CONNECTIONS,
            "too many connections are logging in; closing the one waiting longest"),
    LOGIN_TIMEOUT("login_timeout", SqlState.CANNOT_CONNECT_NOW, "canceling authentication due to timeout"),
    /** PostgreSQL's idle_session_timeout, word for word. */
    CLIENT_IDLE_TIMEOUT("client_idle_timeout", SqlState.IDLE_SESSION_TIMEOUT,
            "terminating connection due to idle-session timeout");

    private final String label;
    private final String sqlState;
    private final String message;

    Refusal(String label, String sqlState, String message) {
        this.label = label;
        this.sqlState = sqlState;
        this.message = message;
    }

    /** The metric label and log key: the limits key that decided it. */
    public String label() {
        return label;
    }

    public String sqlState() {
        return sqlState;
    }

    /** The FATAL message the client gets. */
    public String message() {
        return message;
    }
}
