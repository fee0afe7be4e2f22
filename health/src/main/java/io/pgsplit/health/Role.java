package io.pgsplit.health;

/** What a server said about itself in its last successful probe ({@code UNKNOWN} until it has answered once). */
public enum Role {
    PRIMARY,
    REPLICA,
    UNKNOWN
}
