package io.pgsplit.proxy.netty;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.EventLoopGroup;
import io.pgsplit.proxy.config.TransportChoice;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

class TransportSelectionTest {
    private static Function<Transport, Optional<Throwable>> availableOnly(Transport... available) {
        Set<Transport> set = Set.of(available);
        return transport -> set.contains(transport) ? Optional.empty()
                : Optional.of(new UnsatisfiedLinkError("no native library for " + transport.configName()));
    }

    @Test
    void autoIsEpollWhereEpollWorksEvenWithIoUringThere() {
        TransportSelection selection = TransportSelection.select(TransportChoice.AUTO,
                availableOnly(Transport.IO_URING, Transport.EPOLL, Transport.NIO));
        assertThat(selection.transport()).isEqualTo(Transport.EPOLL);
        assertThat(selection.fellBack()).isFalse();
        assertThat(selection.reason()).startsWith("auto: epoll").contains("netty#15510");
    }

    @Test
    void autoFallsBackToNioWithTheReasonWhenEpollIsMissing() {
        TransportSelection selection = TransportSelection.select(TransportChoice.AUTO, availableOnly(Transport.NIO));
        assertThat(selection.transport()).isEqualTo(Transport.NIO);
        assertThat(selection.fellBack()).isTrue();
        assertThat(selection.reason()).contains("epoll is unavailable").contains("no native library for epoll");
    }

    @Test
    void aNamedTransportThatWorksIsTaken() {
        Function<Transport, Optional<Throwable>> all = availableOnly(Transport.values());
        assertThat(TransportSelection.select(TransportChoice.IO_URING, all).transport()).isEqualTo(Transport.IO_URING);
        assertThat(TransportSelection.select(TransportChoice.EPOLL, all).transport()).isEqualTo(Transport.EPOLL);
        assertThat(TransportSelection.select(TransportChoice.NIO, all).transport()).isEqualTo(Transport.NIO);
        assertThat(TransportSelection.select(TransportChoice.NIO, all).reason()).isEqualTo("as configured");
    }

    @Test
    void aMissingIoUringFallsBackToEpollThenNio() {
        TransportSelection toEpoll = TransportSelection.select(TransportChoice.IO_URING,
                availableOnly(Transport.EPOLL, Transport.NIO));
        assertThat(toEpoll.transport()).isEqualTo(Transport.EPOLL);
        assertThat(toEpoll.fellBack()).isTrue();
        assertThat(toEpoll.reason()).isEqualTo(
                "io_uring is unavailable here (no native library for io_uring); falling back to epoll");
        assertThat(TransportSelection.select(TransportChoice.IO_URING, availableOnly(Transport.NIO)).transport())
                .isEqualTo(Transport.NIO);
        assertThat(TransportSelection.select(TransportChoice.EPOLL, availableOnly(Transport.IO_URING, Transport.NIO))
                .transport()).isEqualTo(Transport.NIO); // never "forward" to io_uring that nobody asked for
    }

    @Test
    void logsOneInfoLineOrOneWarningOnFallback() {
        Logger logger = (Logger) LoggerFactory.getLogger("transport-selection-test");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        TransportSelection.select(TransportChoice.EPOLL, availableOnly(Transport.values())).log(logger);
        TransportSelection.select(TransportChoice.EPOLL, availableOnly(Transport.NIO)).log(logger);
        assertThat(appender.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.WARN);
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "transport epoll: as configured",
                "transport nio: epoll is unavailable here (no native library for epoll); falling back to nio");
        logger.detachAppender(appender);
    }

    /** On this machine (Linux 6.x, x86_64) every transport must really work: its loop runs and maps back to it. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyTransportWorksHereAndItsLoopsAreRecognised(Transport transport) {
        assertThat(transport.unavailabilityCause()).isEmpty();
        EventLoopGroup group = transport.newGroup(1, "transport-test-" + transport.configName());
        try {
            assertThat(Transport.of(group.next())).isEqualTo(transport);
        } finally {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }
}
