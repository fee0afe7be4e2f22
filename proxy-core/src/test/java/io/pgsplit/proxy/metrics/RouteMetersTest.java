package io.pgsplit.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.health.Role;
import io.pgsplit.router.RouteReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteMetersTest {
    private final ProxyMetrics metrics = new ProxyMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void countsIntoTheSeriesEveryoneElseSees() {
        RouteMeters session = metrics.routeMeters();
        session.routed("pg2", Role.REPLICA, "read");
        session.routed("pg2", Role.REPLICA, "read");
        metrics.routed("pg2", Role.REPLICA, "read");
        metrics.routeMeters().routed("pg2", Role.REPLICA, "read"); // another session

        assertThat(metrics.routeCounts()).containsExactly(new RouteCount("pg2", "replica", "read", 4));
        assertThat(metrics.scrape())
                .contains("pgsplit_statements_total{reason=\"read\",role=\"replica\",server=\"pg2\"} 4.0");
    }

    @Test
    void labelSetsBeyondItsSlotsAreStillCountedRight() {
        RouteMeters session = metrics.routeMeters();
        for (int round = 0; round < 3; round++) {
            for (RouteReason reason : RouteReason.values()) { // more label sets than slots, in turn
                session.routed("pg1", Role.PRIMARY, reason.label());
            }
        }
        session.routed(new String("pg1"), Role.PRIMARY, "write"); // equal labels in another instance: the same series

        assertThat(metrics.routeCounts()).hasSize(RouteReason.values().length)
                .allSatisfy(count -> assertThat(count.count()).isEqualTo(count.reason().equals("write") ? 4 : 3));
    }
}
