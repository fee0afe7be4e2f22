package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;

/** Asks for the password in clear text (a PasswordMessage). */
public record AuthenticationCleartextPassword() implements AuthenticationMessage {
    public static final int CODE = 3;

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int encodedLength() {
        return AuthenticationEncoding.CODE_ONLY_LENGTH;
    }

    @Override
    public void encode(ByteBuf out) {
        AuthenticationEncoding.encode(out, CODE);
    }
}
