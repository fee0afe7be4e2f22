package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;

/** Authentication succeeded; ParameterStatus, BackendKeyData and ReadyForQuery follow. */
public record AuthenticationOk() implements AuthenticationMessage {
    public static final int CODE = 0;

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int encodedLength() {
        return 9;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.AUTHENTICATION);
        out.writeInt(CODE);
        MessageWriter.finish(out, start);
    }
}
