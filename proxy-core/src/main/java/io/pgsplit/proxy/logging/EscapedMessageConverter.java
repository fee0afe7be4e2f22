package io.pgsplit.proxy.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %safeMessage}: the formatted message with control characters escaped. A message is one line by design,
 * so a CR or LF in it can only come from a value, whichever call site logged it and whether or not it quoted it.
 */
public final class EscapedMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogSafe.escape(event.getFormattedMessage());
    }
}
