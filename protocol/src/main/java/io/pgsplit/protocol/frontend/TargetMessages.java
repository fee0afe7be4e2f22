package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageWriter;
import java.util.Objects;

/**
 * The layout Describe and Close share: a {@link TargetKind} byte, then the statement or portal name.
 * The two differ only in their type byte and in what the server does with the target.
 */
final class TargetMessages {

    /** Builds the message from its decoded parts; the record's canonical constructor fits. */
    @FunctionalInterface
    interface Factory<T> {
        T create(byte kind, String name);
    }

    private TargetMessages() {
    }

    static void requireValid(byte kind, String name) {
        TargetKind.requireValid(kind);
        Objects.requireNonNull(name, "name");
    }

    /** {@code message} names the message type in errors, as PostgreSQL's do. */
    static <T> T decode(ByteBuf body, String message, Factory<T> factory) {
        byte kind = TargetKind.requireDecoded(BodyReader.int8(body, message), message);
        String name = CStrings.read(body);
        BodyReader.requireEnd(body, message);
        return factory.create(kind, name);
    }

    static int encodedLength(String name) {
        return MessageFraming.HEADER_LENGTH + 1 + CStrings.encodedLength(name);
    }

    static void encode(ByteBuf out, byte type, byte kind, String name) {
        int start = MessageWriter.begin(out, type);
        out.writeByte(kind);
        CStrings.write(out, name);
        MessageWriter.finish(out, start);
    }
}
