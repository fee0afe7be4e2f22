package io.pgsplit.protocol;

/** A message or startup packet whose layout does not match the protocol (PostgreSQL: "invalid message format"). */
public final class MalformedMessageException extends ProtocolException {

    public MalformedMessageException(String message) {
        super(SqlState.PROTOCOL_VIOLATION, message);
    }
}
