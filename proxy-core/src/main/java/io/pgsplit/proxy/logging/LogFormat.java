package io.pgsplit.proxy.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * Which console layout logback.xml includes: {@code text} (the default) or {@code json}, one JSON object per
 * line for log shippers. Chosen by {@code -Dpgsplit.log.format} or else {@code PGSPLIT_LOG_FORMAT}: logging starts
 * before the configuration file is read (its errors are logged too), so the choice cannot live in that file.
 * An unknown value falls back to text, with a logback warning, rather than losing every line.
 */
public final class LogFormat extends PropertyDefinerBase {
    public static final String PROPERTY = "pgsplit.log.format";
    public static final String ENVIRONMENT = "PGSPLIT_LOG_FORMAT";
    static final String TEXT = "text";
    static final String JSON = "json";

    /** {@code text} or {@code json}, naming the console-*.xml that logback.xml includes. */
    @Override
    public String getPropertyValue() {
        String chosen = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        String format = chosen == null ? TEXT : chosen.trim().toLowerCase(Locale.ROOT);
        switch (format) {
            case "", TEXT:
                return TEXT;
            case JSON:
                return JSON;
            default:
                addWarn("unknown log format " + LogSafe.quote(chosen) + " (" + PROPERTY + " or " + ENVIRONMENT
                        + "); expected text or json; logging as text");
                return TEXT;
        }
    }
}
