package io.pgsplit.proxy.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's logback.xml, loaded into a context of its own (the tests' own logging is left alone). */
class LoggingConfigurationTest {
    private static final String FORGED_USER = "x\nuser \"admin\" authenticated";

    @Test
    void eventLoopsNeverWaitForTheConsole() throws JoranException {
        LoggerContext context = configured(null);
        try {
            AsyncAppender async = async(context);
            assertThat(async.isNeverBlock()).as("a full queue drops lines instead of blocking the caller").isTrue();
            assertThat(async.getAppender("CONSOLE")).isInstanceOf(ConsoleAppender.class);
        } finally {
            context.stop();
        }
    }

    @Test
    void aClientValueCannotStartALineOfItsOwnInTheTextLayout() throws JoranException {
        LoggerContext context = configured(null);
        try {
            RuntimeException failure = new RuntimeException("no such user " + FORGED_USER,
                    new IllegalStateException("cause\r\nforged \u001b[31m"));
            assertThat(console(context).getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
            String written = encode(context, event(context, failure));

            List<String> lines = written.lines().toList();
            assertThat(lines.get(0)).endsWith("client 127.0.0.1:5000: authentication failed for user "
                    + "\"x\\nuser \\\"admin\\\" authenticated\": x\\nuser \"admin\" authenticated");
            assertThat(lines.get(1)).isEqualTo("java.lang.RuntimeException: no such user x");
            assertThat(lines.subList(1, lines.size()))
                    .as("after the event's own line only its stack trace, every other line indented")
                    .allMatch(line -> line.startsWith("\t") || line.startsWith("java.lang.RuntimeException: ")
                            || line.startsWith("Caused by: java.lang.IllegalStateException: "));
            assertThat(written).doesNotContain("\u001b").contains("forged \\x1b[31m");
        } finally {
            context.stop();
        }
    }

    @Test
    void theJsonLayoutWritesOneObjectPerEvent() throws Exception {
        LoggerContext context = configured("json");
        try {
            assertThat(console(context).getEncoder()).isInstanceOf(JsonEncoder.class);
            String written = encode(context, event(context, new RuntimeException(FORGED_USER)));

            assertThat(written.lines()).hasSize(1);
            JsonNode line = new ObjectMapper().readTree(written);
            assertThat(line.get("level").asText()).isEqualTo("INFO");
            assertThat(line.get("formattedMessage").asText()).contains("x\\nuser \\\"admin\\\" authenticated\":");
            assertThat(line.get("throwable").get("message").asText()).isEqualTo(FORGED_USER);
        } finally {
            context.stop();
        }
    }

    @Test
    void anUnknownFormatStillLogsAsText() throws JoranException {
        LoggerContext context = configured("xml");
        try {
            assertThat(console(context).getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
            assertThat(context.getStatusManager().getCopyOfStatusList())
                    .anyMatch(status -> status.getLevel() == Status.WARN && status.getMessage().contains("\"xml\""));
        } finally {
            context.stop();
        }
    }

    private static LoggerContext configured(String format) throws JoranException {
        String before = System.getProperty(LogFormat.PROPERTY);
        if (format == null) {
            System.clearProperty(LogFormat.PROPERTY);
        } else {
            System.setProperty(LogFormat.PROPERTY, format);
        }
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // as SLF4J's provider does for the real context
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            URL config = LoggingConfigurationTest.class.getResource("/logback.xml");
            configurator.doConfigure(config);
            if (format == null || format.equals("json")) {
                // A warning would make logback print its whole configuration status at every start.
                assertThat(context.getStatusManager().getCopyOfStatusList())
                        .noneMatch(status -> status.getLevel() >= Status.WARN);
            }
            return context;
        } finally {
            if (before == null) {
                System.clearProperty(LogFormat.PROPERTY);
            } else {
                System.setProperty(LogFormat.PROPERTY, before);
            }
        }
    }

    private static ILoggingEvent event(LoggerContext context, Throwable failure) {
        Logger logger = context.getLogger("io.pgsplit.proxy.server.StartupHandler");
        return new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                "client {}: authentication failed for user {}: {}", failure,
                new Object[] {"127.0.0.1:5000", LogSafe.quote(FORGED_USER), FORGED_USER});
    }

    /** What the console appender would write for {@code event}. */
    private static String encode(LoggerContext context, ILoggingEvent event) {
        return new String(console(context).getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    private static OutputStreamAppender<ILoggingEvent> console(LoggerContext context) {
        return (OutputStreamAppender<ILoggingEvent>) async(context).getAppender("CONSOLE");
    }

    private static AsyncAppender async(LoggerContext context) {
        List<Appender<ILoggingEvent>> rootAppenders = appenders(context.getLogger(Logger.ROOT_LOGGER_NAME));
        assertThat(rootAppenders).singleElement().isInstanceOf(AsyncAppender.class);
        return (AsyncAppender) rootAppenders.get(0);
    }

    private static List<Appender<ILoggingEvent>> appenders(Logger logger) {
        List<Appender<ILoggingEvent>> all = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
            all.add(it.next());
        }
        return all;
    }
}
