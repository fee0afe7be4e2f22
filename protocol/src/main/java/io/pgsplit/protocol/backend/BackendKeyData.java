package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;

/**
 * The key a client quotes in a CancelRequest. The proxy hands clients its own keys and maps them to
 * the server's, since a client may be served by several servers over its life.
 */
public record BackendKeyData(int processId, int secretKey) implements WireMessage {
    public static final int LENGTH = 13;

    public static BackendKeyData decode(ByteBuf body) {
        int processId = BodyReader.int32(body, "BackendKeyData");
        int secretKey = BodyReader.int32(body, "BackendKeyData");
        BodyReader.requireEnd(body, "BackendKeyData");
        return new BackendKeyData(processId, secretKey);
    }

    @Override
    public int encodedLength() {
        return LENGTH;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.BACKEND_KEY_DATA);
        out.writeInt(processId);
        out.writeInt(secretKey);
        MessageWriter.finish(out, start);
    }
}
