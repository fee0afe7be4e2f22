package io.pgsplit.proxy.auth;

/** What the startup handler does with a client once its StartupMessage has been read. */
public sealed interface AuthDecision {

    /** FATAL with this SQLSTATE and message, then close. */
    record Refuse(String sqlState, String message) implements AuthDecision {
    }

    /** Run this password exchange with the client. */
    record Exchange(ClientAuthExchange exchange) implements AuthDecision {
    }

    /** Authenticated without a password (trust, or a client certificate); the servers get {@code login}. */
    record Accept(ServerLogin login) implements AuthDecision {
    }
}
