package io.pgsplit.proxy.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's logback.xml, loaded into a context of its own (the tests' own logging is left alone). */
class LoggingConfigurationTest {

    @Test
    void eventLoopsNeverWaitForTheConsole() throws JoranException {
        LoggerContext context = new LoggerContext();
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            URL config = LoggingConfigurationTest.class.getResource("/logback.xml");
            configurator.doConfigure(config);

            List<Appender<ILoggingEvent>> rootAppenders = appenders(context.getLogger(Logger.ROOT_LOGGER_NAME));
            assertThat(rootAppenders).singleElement().isInstanceOf(AsyncAppender.class);
            AsyncAppender async = (AsyncAppender) rootAppenders.get(0);
            assertThat(async.isNeverBlock()).as("a full queue drops lines instead of blocking the caller").isTrue();
            assertThat(async.getAppender("CONSOLE")).isInstanceOf(ConsoleAppender.class);
        } finally {
            context.stop();
        }
    }

    private static List<Appender<ILoggingEvent>> appenders(Logger logger) {
        List<Appender<ILoggingEvent>> all = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
            all.add(it.next());
        }
        return all;
    }
}
