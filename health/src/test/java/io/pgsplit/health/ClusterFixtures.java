package io.pgsplit.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgNode;

/** Monitor settings and addresses for tests against a {@link LocalPgCluster}. */
final class ClusterFixtures {

    static final Duration INTERVAL = Duration.ofMillis(200);
    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final int FALL = 3;
    static final int RISE = 2;
    static final HealthSettings FAST = new HealthSettings(INTERVAL, TIMEOUT, FALL, RISE, -1, null);

    private ClusterFixtures() {
    }

    static HealthMonitor monitor(LocalPgCluster cluster, HealthSettings settings, List<PgNode> nodes) {
        return new HealthMonitor(addresses(nodes), settings, credentials(cluster));
    }

    static List<ServerAddress> addresses(List<PgNode> nodes) {
        return nodes.stream().map(node -> new ServerAddress(node.name(), node.host(), node.port())).toList();
    }

    static ProbeCredentials credentials(LocalPgCluster cluster) {
        return new ProbeCredentials(cluster.appUser(), cluster.appPassword(), LocalPgCluster.APP_DATABASE);
    }

    static HealthSettings withMaxLagBytes(HealthSettings settings, long maxLagBytes) {
        return new HealthSettings(settings.interval(), settings.timeout(), settings.fall(), settings.rise(),
                maxLagBytes, settings.maxReplicaLagTime());
    }

    static void executeAsSuperuser(PgNode node, String database, String sql) throws SQLException {
        try (Connection connection = node.connectAsSuperuser(database);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static boolean isPrimary(Topology topology, String name) {
        return topology.primary().filter(primary -> primary.name().equals(name)).isPresent();
    }

    static boolean isUp(Topology topology, String name) {
        return topology.server(name).filter(ServerHealth::up).isPresent();
    }
}
