package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.CStrings;

/**
 * The header of a Bind message: which statement it binds and which portal it creates. The proxy
 * routes on these two names and forwards the (possibly large) parameter values untouched, so the
 * rest of the body is never read.
 */
public record BindTarget(String portalName, String statementName) {

    public static BindTarget decode(ByteBuf body) {
        String portalName = CStrings.read(body);
        String statementName = CStrings.read(body);
        return new BindTarget(portalName, statementName);
    }

    /**
     * Where the statement name of the Bind body in {@code [bodyStart, bodyEnd)} starts (past the portal name),
     * for reading it in place; the name's own terminator is checked by whoever reads it.
     */
    public static int statementNameIndex(ByteBuf buf, int bodyStart, int bodyEnd) {
        return CStrings.terminatorOf(buf, bodyStart, bodyEnd) + 1;
    }
}
