package io.pgsplit.protocol;

/**
 * A peer broke the wire protocol. Carries the SQLSTATE the proxy reports in its ErrorResponse before
 * closing the connection, so the proxy-core can answer exactly as PostgreSQL would.
 */
public class ProtocolException extends RuntimeException {
    private final String sqlState;

    public ProtocolException(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
