package io.pgsplit.protocol.auth;

/** A SCRAM exchange cannot go on: malformed message, nonce mismatch or a server that failed to prove itself. */
public final class ScramException extends RuntimeException {

    public ScramException(String message) {
        super(message);
    }
}
