package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;

/** Where a segment goes, and why (the low-cardinality reason label of the routing metric). */
sealed interface Route {

    record ToServer(ServerAddress server, Role role, String reason) implements Route {
    }

    /** Nothing is sent anywhere; the client gets this error instead. */
    record Refuse(String sqlState, String message, String reason) implements Route {
    }
}
