package io.pgsplit.protocol.backend;

import io.pgsplit.protocol.MalformedMessageException;

/** The transaction state ReadyForQuery reports; the proxy may only release a server that is IDLE. */
public enum TransactionStatus {
    IDLE('I'),
    IN_TRANSACTION('T'),
    FAILED('E');

    private final byte code;

    TransactionStatus(char code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** Looks up a wire code without allocating; it runs on every ReadyForQuery. */
    public static TransactionStatus of(byte code) {
        return switch (code) {
            case 'I' -> IDLE;
            case 'T' -> IN_TRANSACTION;
            case 'E' -> FAILED;
            default -> throw new MalformedMessageException(String.format("invalid transaction status 0x%02x", code));
        };
    }
}
