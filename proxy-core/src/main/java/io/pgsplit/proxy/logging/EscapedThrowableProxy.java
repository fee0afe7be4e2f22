package io.pgsplit.proxy.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/** A throwable as logback sees it, whose message (and its causes' and suppressed ones') is escaped. */
final class EscapedThrowableProxy implements IThrowableProxy {
    private final IThrowableProxy delegate;

    EscapedThrowableProxy(IThrowableProxy delegate) {
        this.delegate = delegate;
    }

    @Override
    public String getMessage() {
        return LogSafe.escapeKeepingIndentedLines(delegate.getMessage());
    }

    @Override
    public String getOverridingMessage() {
        return LogSafe.escapeKeepingIndentedLines(delegate.getOverridingMessage());
    }

    @Override
    public String getClassName() {
        return delegate.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return delegate.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return delegate.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        IThrowableProxy cause = delegate.getCause();
        return cause == null ? null : new EscapedThrowableProxy(cause);
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] suppressed = delegate.getSuppressed();
        if (suppressed == null) {
            return null;
        }
        IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
        for (int i = 0; i < suppressed.length; i++) {
            escaped[i] = new EscapedThrowableProxy(suppressed[i]);
        }
        return escaped;
    }

    @Override
    public boolean isCyclic() {
        return delegate.isCyclic();
    }
}
