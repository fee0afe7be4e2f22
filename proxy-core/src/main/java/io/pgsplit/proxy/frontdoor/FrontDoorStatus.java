package io.pgsplit.proxy.frontdoor;

import java.util.ArrayList;
import java.util.List;

/**
 * The front door's limits at one moment, for {@code /ready}, {@code /status} and
 * {@code pgsplit_front_door_saturated{limit}}. A limit is saturated while a new ordinary client
 * cannot get in because of it: every slot outside the admin reserve is taken, or the pending logins
 * are at their bound (a new connection then pushes out the oldest pending one, possibly a real
 * client's).
 *
 * @param saturated the limits saturated now, by key ({@code max_client_connections}, {@code max_pending_logins})
 * @param reason    what an operator reads on {@code /ready}; null while nothing is saturated
 */
public record FrontDoorStatus(int clients, int maxClientConnections, int reservedConnections, int pendingLogins,
                              int maxPendingLogins, List<String> saturated, String reason) {
    public static final String MAX_CLIENT_CONNECTIONS = "max_client_connections";
    public static final String MAX_PENDING_LOGINS = "max_pending_logins";
    /** A proxy without a front door to look at (tests of the admin listener alone). */
    public static final FrontDoorStatus UNKNOWN = new FrontDoorStatus(0, 0, 0, 0, 0, List.of(), null);

    public FrontDoorStatus {
        saturated = List.copyOf(saturated);
    }

    public static FrontDoorStatus of(int clients, int maxClients, int reserved, int pending, int maxPending) {
        List<String> saturated = new ArrayList<>(2);
        List<String> reasons = new ArrayList<>(2);
        if (clientsSaturated(clients, maxClients, reserved)) {
            saturated.add(MAX_CLIENT_CONNECTIONS);
            reasons.add("limits.max_client_connections reached: " + clients + " of " + maxClients + " clients"
                    + (reserved > 0 ? " (" + reserved + " reserved for admin users)" : ""));
        }
        if (pendingSaturated(pending, maxPending)) {
            saturated.add(MAX_PENDING_LOGINS);
            reasons.add("limits.max_pending_logins reached: " + pending + " connections waiting to log in");
        }
        return new FrontDoorStatus(clients, maxClients, reserved, pending, maxPending, saturated,
                reasons.isEmpty() ? null : String.join("; ", reasons));
    }

    static boolean clientsSaturated(int clients, int maxClients, int reserved) {
        return clients >= maxClients - reserved;
    }

    static boolean pendingSaturated(int pending, int maxPending) {
        return pending >= maxPending;
    }

    /** Whether new ordinary clients are being kept out now. */
    public boolean keepsClientsOut() {
        return !saturated.isEmpty();
    }
}
