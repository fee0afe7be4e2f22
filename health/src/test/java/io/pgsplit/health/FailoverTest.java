package io.pgsplit.health;

import static io.pgsplit.health.ClusterFixtures.FALL;
import static io.pgsplit.health.ClusterFixtures.FAST;
import static io.pgsplit.health.ClusterFixtures.INTERVAL;
import static io.pgsplit.health.ClusterFixtures.TIMEOUT;
import static io.pgsplit.health.ClusterFixtures.isPrimary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Promotions change the cluster for good, so every test gets a fresh primary with one replica. */
class FailoverTest {

    private LocalPgCluster cluster;
    private PgNode pg1;
    private PgNode pg2;

    @BeforeEach
    void startCluster() {
        cluster = LocalPgCluster.builder().replicas(1).start();
        pg1 = cluster.primary();
        pg2 = cluster.replicas().get(0);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void followsThePromotedReplicaWithinTwoIntervalsOnceTheOldPrimaryIsDown() {
        try (HealthMonitor monitor = ClusterFixtures.monitor(cluster, FAST, cluster.nodes())) {
            monitor.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> isPrimary(monitor.topology(), "pg1"));
            pg1.stopImmediate();
            await().atMost(Duration.ofSeconds(5)).until(() -> monitor.topology().primary().isEmpty());

            pg2.promote();

            await().atMost(INTERVAL.multipliedBy(2)).pollInterval(Duration.ofMillis(10))
                    .until(() -> isPrimary(monitor.topology(), "pg2"));
            assertThat(monitor.topology().readableReplicas()).isEmpty();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> monitor.topology().server("pg2").orElseThrow().timeline() == 2);
        }
    }

    @Test
    void reportsSplitBrainWhileTwoPrimariesRunAndOffersThePrimaryAgainOnceOneStops() {
        ListAppender<ILoggingEvent> log = capturePublisherLog();
        List<Topology> notified = new CopyOnWriteArrayList<>();
        try (HealthMonitor monitor = ClusterFixtures.monitor(cluster, FAST, cluster.nodes())) {
            monitor.addListener(notified::add);
            monitor.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> isPrimary(monitor.topology(), "pg1"));

            pg2.promote();

            await().atMost(INTERVAL.multipliedBy(2)).pollInterval(Duration.ofMillis(10))
                    .until(() -> monitor.topology().splitBrain());
            assertThat(monitor.topology().primary()).isEmpty();
            assertThat(monitor.topology().servers()).allMatch(ServerHealth::isPrimary);

            pg1.stopImmediate();

            await().atMost(TIMEOUT.plus(INTERVAL).multipliedBy(FALL).plusSeconds(1))
                    .until(() -> isPrimary(monitor.topology(), "pg2"));
            assertThat(monitor.topology().splitBrain()).isFalse();
            assertThat(notified).anyMatch(Topology::splitBrain);
            assertThat(notified.get(notified.size() - 1).splitBrain()).isFalse();
            assertThat(log.list).filteredOn(event -> event.getLevel() == Level.ERROR).singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage).asString().startsWith("split brain: pg1, pg2");
        } finally {
            publisherLogger().detachAppender(log);
        }
    }

    private static ListAppender<ILoggingEvent> capturePublisherLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        publisherLogger().addAppender(appender);
        return appender;
    }

    private static Logger publisherLogger() {
        return (Logger) LoggerFactory.getLogger(TopologyPublisher.class);
    }
}
