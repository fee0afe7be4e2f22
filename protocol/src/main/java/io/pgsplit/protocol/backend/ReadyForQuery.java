package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Objects;

/** The server is ready for a new query cycle; carries the transaction status the proxy's pooling depends on. */
public record ReadyForQuery(TransactionStatus status) implements WireMessage {
    public static final int LENGTH = 6;

    public ReadyForQuery {
        Objects.requireNonNull(status, "status");
    }

    /**
     * Status of a whole ReadyForQuery starting at {@code messageStart}, read in place: the proxy sees one
     * per query and forwards the bytes anyway, so it should not decode a record for it. Its length is
     * checked first: a server that sends a ReadyForQuery without its status byte must not have the next
     * message's first byte read as one.
     *
     * @throws MalformedMessageException when the length is not 5 or the status is unknown
     */
    public static TransactionStatus statusAt(ByteBuf buf, int messageStart) {
        int length = buf.getInt(messageStart + 1);
        if (length != LENGTH - 1) {
            throw new MalformedMessageException("invalid ReadyForQuery length " + length);
        }
        return TransactionStatus.of(buf.getByte(messageStart + MessageFraming.HEADER_LENGTH));
    }

    public static ReadyForQuery decode(ByteBuf body) {
        TransactionStatus status = TransactionStatus.of(BodyReader.int8(body, "ReadyForQuery"));
        BodyReader.requireEnd(body, "ReadyForQuery");
        return new ReadyForQuery(status);
    }

    @Override
    public int encodedLength() {
        return LENGTH;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.READY_FOR_QUERY);
        out.writeByte(status.code());
        MessageWriter.finish(out, start);
    }
}
