package io.pgsplit.health;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The best known replay position of every configured replica: the highest one any probe or on-demand read reported,
 * readable without locking.
 *
 * <p>A replica's replay position never moves backwards while it stays a replica, so the highest report is the most
 * recent one whichever arrived last. Once a server stops being an up replica the value is dropped: a rewound or
 * re-cloned server may come back behind what it once replayed.
 *
 * <p>Reports name the full address: one from a server that was removed, or replaced under the same name, is ignored.
 */
final class ReplayPositions {

    private record Position(ServerAddress address, AtomicLong lsn) {
    }

    private final Map<String, Position> positions = new ConcurrentHashMap<>();

    ReplayPositions(List<ServerAddress> servers) {
        retain(servers);
    }

    /** The best known replay position, or {@link Lsn#UNKNOWN}. */
    long get(String serverName) {
        Position position = positions.get(serverName);
        return position == null ? Lsn.UNKNOWN : position.lsn().get();
    }

    /** Takes the replay position of a probe round; a server that is not an up replica has none. */
    void observe(ServerObservation observation) {
        Position position = positionOf(observation.address());
        if (position == null) {
            return;
        }
        if (observation.isUpReplica()) {
            position.lsn().accumulateAndGet(observation.walLsn(), Math::max);
        } else {
            position.lsn().set(Lsn.UNKNOWN);
        }
    }

    /** Takes a position read from a replica on demand. */
    void advance(ServerAddress server, long replayLsn) {
        Position position = positionOf(server);
        if (position != null) {
            position.lsn().accumulateAndGet(replayLsn, Math::max);
        }
    }

    /** Forgets servers no longer configured and starts new ones unknown; kept servers keep their positions. */
    void retain(List<ServerAddress> servers) {
        positions.values().removeIf(position -> !servers.contains(position.address()));
        for (ServerAddress server : servers) {
            positions.computeIfAbsent(server.name(), name -> new Position(server, new AtomicLong(Lsn.UNKNOWN)));
        }
    }

    private Position positionOf(ServerAddress server) {
        Position position = positions.get(server.name());
        return position != null && position.address().equals(server) ? position : null;
    }
}
