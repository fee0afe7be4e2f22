package io.pgsplit.proxy.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %safeException}: the stack trace as logback writes it, with the message of every exception in it
 * (causes and suppressed ones included) escaped; an exception message may quote what a client sent.
 */
public final class EscapedThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return super.throwableProxyToString(new EscapedThrowableProxy(throwable));
    }
}
