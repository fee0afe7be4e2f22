package io.pgsplit.proxy.netty;

import io.pgsplit.proxy.config.TransportChoice;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Which transport a {@code transport:} setting gets here, and the one log line that says why. {@code auto}
 * is epoll, else nio: io_uring is not part of it because Netty's io_uring transport loses throughput when
 * auto-read is off (netty#15510), which is how pgsplit applies backpressure, and bench/pgbench.sh did not
 * show it ahead of epoll on this kind of machine. A native transport asked for by name that does not work
 * here falls back to the next one that does (io_uring, then epoll, then nio).
 */
public record TransportSelection(Transport transport, String reason, boolean fellBack) {
    private static final List<Transport> AUTO_ORDER = List.of(Transport.EPOLL, Transport.NIO);
    private static final List<Transport> FALLBACK_ORDER = List.of(Transport.IO_URING, Transport.EPOLL, Transport.NIO);

    public static TransportSelection select(TransportChoice wanted) {
        return select(wanted, Transport::unavailabilityCause);
    }

    /** @param unavailability why a transport does not work here, empty where it does */
    static TransportSelection select(TransportChoice wanted, Function<Transport, Optional<Throwable>> unavailability) {
        if (wanted == TransportChoice.AUTO) {
            return auto(unavailability);
        }
        Transport asked = Transport.valueOf(wanted.name());
        Optional<Throwable> why = unavailability.apply(asked);
        if (why.isEmpty()) {
            return new TransportSelection(asked, "as configured", false);
        }
        Transport fallback = firstAvailable(FALLBACK_ORDER.subList(FALLBACK_ORDER.indexOf(asked) + 1, FALLBACK_ORDER.size()),
                unavailability);
        return new TransportSelection(fallback, asked.configName() + " is unavailable here (" + message(why.get())
                + "); falling back to " + fallback.configName(), true);
    }

    private static TransportSelection auto(Function<Transport, Optional<Throwable>> unavailability) {
        Optional<Throwable> epoll = unavailability.apply(Transport.EPOLL);
        if (epoll.isEmpty()) {
            return new TransportSelection(Transport.EPOLL, "auto: epoll (io_uring only by name: it did not beat epoll"
                    + " in bench/pgbench.sh here, and loses throughput with auto-read off, netty#15510)", false);
        }
        return new TransportSelection(firstAvailable(AUTO_ORDER, unavailability),
                "auto: epoll is unavailable here (" + message(epoll.get()) + "); falling back to nio", true);
    }

    private static Transport firstAvailable(List<Transport> order, Function<Transport, Optional<Throwable>> unavailability) {
        return order.stream().filter(transport -> unavailability.apply(transport).isEmpty()).findFirst()
                .orElse(Transport.NIO);
    }

    private static String message(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** One line: info when the transport is the one asked for, warn when it fell back. */
    public void log(Logger log) {
        if (fellBack) {
            log.warn("transport {}: {}", transport.configName(), reason);
        } else {
            log.info("transport {}: {}", transport.configName(), reason);
        }
    }
}
