package io.pgsplit.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TopologyPublisherTest {

    private static final ServerAddress PG1 = new ServerAddress("pg1", "127.0.0.1", 5432);
    private static final ServerAddress PG2 = new ServerAddress("pg2", "127.0.0.1", 5433);

    private volatile List<ServerObservation> observations =
            List.of(ServerObservation.unprobed(PG1), ServerObservation.unprobed(PG2));
    private final TopologyPublisher publisher = new TopologyPublisher(() -> observations, HealthSettings::defaults);
    private final List<Topology> notified = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLogAndNotifications() {
        log.start();
        publisherLogger().addAppender(log);
        publisher.addListener(notified::add);
    }

    @AfterEach
    void detachLog() {
        publisherLogger().detachAppender(log);
    }

    @Test
    void startsWithVersionZeroListingServersAsNotProbed() {
        assertThat(publisher.current().version()).isZero();
        assertThat(publisher.current().servers()).extracting(ServerHealth::role).containsOnly(Role.UNKNOWN);
        assertThat(notified).isEmpty();
    }

    @Test
    void everyPublicationGetsTheNextVersion() {
        publish(primary(PG1, 100), replica(PG2, 100));
        publish(primary(PG1, 200), replica(PG2, 150));

        assertThat(publisher.current().version()).isEqualTo(2);
        assertThat(publisher.current().server("pg2").orElseThrow().lagBytes()).isEqualTo(50);
    }

    @Test
    void notifiesListenersWhenUpStateOrRoleChangesButNotForLagAlone() {
        publish(primary(PG1, 100), replica(PG2, 100));
        publish(primary(PG1, 900), replica(PG2, 100));
        publish(primary(PG1, 900), primary(PG2, 900));

        assertThat(notified).extracting(Topology::version).containsExactly(1L, 3L);
    }

    @Test
    void logsSplitBrainAsErrorOncePerOccurrence() {
        publish(primary(PG1, 1), primary(PG2, 1));
        publish(primary(PG1, 2), primary(PG2, 2));
        publish(primary(PG1, 3), replica(PG2, 3));
        publish(primary(PG1, 4), primary(PG2, 4));

        assertThat(log.list).filteredOn(event -> event.getLevel() == Level.ERROR)
                .extracting(ILoggingEvent::getFormattedMessage)
                .hasSize(2)
                .allMatch(message -> message.startsWith("split brain: pg1, pg2"));
    }

    @Test
    void logsOneInfoLinePerChange() {
        publish(primary(PG1, 1), replica(PG2, 1));
        publish(primary(PG1, 2), replica(PG2, 2));

        assertThat(log.list).filteredOn(event -> event.getLevel() == Level.INFO)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("topology v1: pg1 primary up, pg2 replica up lag=0B/0.0s");
    }

    @Test
    void awaitUntilWakesUpOnThePublicationThatSatisfiesTheCondition() throws Exception {
        CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> {
            try {
                return publisher.awaitUntil(() -> publisher.current().primary().isPresent(), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        publish(primary(PG1, 1), replica(PG2, 1));

        assertThat(awaited.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void awaitUntilGivesUpAtTheDeadline() throws InterruptedException {
        assertThat(publisher.awaitUntil(() -> false, Duration.ofMillis(50))).isFalse();
    }

    private void publish(ServerObservation... next) {
        observations = List.of(next);
        publisher.publish();
    }

    private static ServerObservation primary(ServerAddress address, long walLsn) {
        return new ServerObservation(address, true, new ProbeResult(false, walLsn, -1, 1), Instant.now(), null);
    }

    private static ServerObservation replica(ServerAddress address, long replayLsn) {
        return new ServerObservation(address, true, new ProbeResult(true, replayLsn, 0, 1), Instant.now(), null);
    }

    private static Logger publisherLogger() {
        return (Logger) LoggerFactory.getLogger(TopologyPublisher.class);
    }
}
