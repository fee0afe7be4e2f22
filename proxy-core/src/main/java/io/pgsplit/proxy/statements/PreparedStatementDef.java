package io.pgsplit.proxy.statements;

import io.netty.buffer.ByteBuf;
import io.pgsplit.router.Classification;
import io.pgsplit.router.SessionCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A statement the client prepared with a Parse message: its name, SQL and the original message
 * bytes, kept so it can be prepared again on another server before a Bind lands there.
 * Identity matters: a backend "has" a statement only if it holds this very instance.
 */
public final class PreparedStatementDef {
    private final String name;
    private final String sql;
    private final byte[] parseMessage;
    private Classification classification;
    private List<SessionCommand> sessionCommands;
    private String contentKey;

    public PreparedStatementDef(String name, String sql, byte[] parseMessage) {
        this.name = name;
        this.sql = sql;
        this.parseMessage = parseMessage;
    }

    public String name() {
        return name;
    }

    public String sql() {
        return sql;
    }

    /** The whole Parse message (type byte, length and body) as the client sent it. */
    public byte[] parseMessage() {
        return parseMessage;
    }

    /**
     * What makes two Parses the same statement on a server whatever their names: the bytes after the
     * name (SQL and parameter types), as a string so it hashes once.
     */
    public String contentKey() {
        if (contentKey == null) {
            int afterName = nameEnd() + 1;
            contentKey = new String(parseMessage, afterName, parseMessage.length - afterName, StandardCharsets.ISO_8859_1);
        }
        return contentKey;
    }

    /** Index of the NUL that ends the name in the Parse message (after type byte and length). */
    private int nameEnd() {
        int i = 5;
        while (parseMessage[i] != 0) {
            i++;
        }
        return i;
    }

    /** Cached so a statement executed a thousand times is classified once. */
    /** Whether the {@code length} bytes at {@code index} of {@code buf} are this statement's very Parse message. */
    public boolean sameParseMessage(ByteBuf buf, int index, int length) {
        if (length != parseMessage.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf.getByte(index + i) != parseMessage[i]) {
                return false;
            }
        }
        return true;
    }

    public Classification classification() {
        return classification;
    }

    public void classification(Classification classification) {
        this.classification = classification;
    }

    /** The session commands in its SQL, once read (null before). */
    public List<SessionCommand> sessionCommands() {
        return sessionCommands;
    }

    public void sessionCommands(List<SessionCommand> sessionCommands) {
        this.sessionCommands = sessionCommands;
    }
}
