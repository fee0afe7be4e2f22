package io.pgsplit.health;

import java.util.Locale;
import java.util.stream.Collectors;

/** One log line per topology, e.g. {@code topology v7: pg1 primary up, pg2 replica up lag=0B/0.0s, pg3 down (connection refused)}. */
final class TopologySummary {

    private TopologySummary() {
    }

    static String describe(Topology topology) {
        String servers = topology.servers().stream()
                .map(server -> describe(server, topology))
                .collect(Collectors.joining(", "));
        return "topology v" + topology.version() + ": " + (topology.splitBrain() ? "SPLIT BRAIN, " : "") + servers;
    }

    private static String describe(ServerHealth server, Topology topology) {
        if (server.lastProbe() == null) {
            return server.name() + " not probed yet";
        }
        if (!server.up()) {
            return server.name() + " down" + (server.lastError() == null ? "" : " (" + server.lastError() + ")");
        }
        String line = server.name() + " " + server.role().name().toLowerCase(Locale.ROOT) + " up";
        if (server.role() != Role.REPLICA) {
            return line;
        }
        line += " lag=" + (server.lagBytes() < 0 ? "?" : server.lagBytes() + "B")
                + "/" + (server.lagSeconds() < 0 ? "?" : String.format(Locale.ROOT, "%.1fs", server.lagSeconds()));
        return topology.readableReplicas().contains(server) ? line : line + " (too far behind for reads)";
    }
}
