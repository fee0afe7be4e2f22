package io.pgsplit.protocol.frontend;

import io.pgsplit.protocol.MalformedMessageException;

/** The object a Describe or Close refers to: a prepared statement or a portal. */
public final class TargetKind {
    public static final byte STATEMENT = 'S';
    public static final byte PORTAL = 'P';

    private TargetKind() {
    }

    static boolean isValid(byte kind) {
        return kind == STATEMENT || kind == PORTAL;
    }

    /** PostgreSQL answers any other subtype with 08P01, so a decoder must refuse it. */
    static byte requireDecoded(byte kind, String message) {
        if (!isValid(kind)) {
            throw new MalformedMessageException(String.format("invalid %s message subtype 0x%02x", message, kind));
        }
        return kind;
    }

    static void requireValid(byte kind) {
        if (!isValid(kind)) {
            throw new IllegalArgumentException("kind must be 'S' or 'P', not 0x" + Integer.toHexString(kind & 0xff));
        }
    }
}
