package io.pgsplit.protocol;

/**
 * A length field announced more bytes than the configured limit. Thrown as soon as the header is
 * seen, before the body is buffered, so a hostile peer cannot make the proxy accumulate it
 * (PostgreSQL reports the same condition as "invalid message length").
 */
public final class FrameTooLargeException extends ProtocolException {
    private final long length;
    private final int limit;

    public FrameTooLargeException(long length, int limit) {
        super(SqlState.PROTOCOL_VIOLATION, "message too large: " + length + " bytes, limit " + limit);
        this.length = length;
        this.limit = limit;
    }

    /** Total message size the peer announced, in bytes. */
    public long length() {
        return length;
    }

    public int limit() {
        return limit;
    }
}
