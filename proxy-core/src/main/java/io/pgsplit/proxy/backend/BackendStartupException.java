package io.pgsplit.proxy.backend;

import io.pgsplit.protocol.backend.ErrorResponse;

/** A server connection could not be established; carries the server's own error when it sent one. */
public final class BackendStartupException extends Exception {
    private final transient ErrorResponse serverError;

    public BackendStartupException(String message, ErrorResponse serverError) {
        super(message);
        this.serverError = serverError;
    }

    public BackendStartupException(String message, Throwable cause) {
        super(message, cause);
        this.serverError = null;
    }

    /** The ErrorResponse the server sent during startup, or null when it failed otherwise. */
    public ErrorResponse serverError() {
        return serverError;
    }
}
