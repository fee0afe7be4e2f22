package io.pgsplit.proxy.fuzz;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects the log events that carry an exception from the given classes' loggers. Handlers log an
 * unexpected exception (a bug: IndexOutOfBounds, NullPointer …) with its stack trace before closing,
 * and a clean close does not, so a fuzz case that hit a bug shows up here even though the peer only
 * saw a closed connection.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<Logger> loggers = new ArrayList<>();
    private final List<ILoggingEvent> withExceptions = new ArrayList<>();

    public static LogCapture of(Class<?>... classes) {
        LogCapture capture = new LogCapture();
        capture.start();
        for (Class<?> type : classes) {
            Logger logger = (Logger) LoggerFactory.getLogger(type);
            logger.addAppender(capture);
            capture.loggers.add(logger);
        }
        return capture;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        if (event.getThrowableProxy() != null) {
            withExceptions.add(event);
        }
    }

    /** The events with an exception since the last call, as text, and forgets them. */
    public synchronized List<String> drain() {
        List<String> found = withExceptions.stream()
                .map(event -> event.getFormattedMessage() + ": " + event.getThrowableProxy().getClassName() + ": "
                        + event.getThrowableProxy().getMessage())
                .toList();
        withExceptions.clear();
        return found;
    }

    @Override
    public void close() {
        loggers.forEach(logger -> logger.detachAppender(this));
        stop();
    }
}
