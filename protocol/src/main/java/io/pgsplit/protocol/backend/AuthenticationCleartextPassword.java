package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;

/** Asks for the password in clear text (a PasswordMessage). */
public record AuthenticationCleartextPassword() implements AuthenticationMessage {
    public static final int CODE = 3;

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
