package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;

/** Authentication succeeded; ParameterStatus, BackendKeyData and ReadyForQuery follow. */
public record AuthenticationOk() implements AuthenticationMessage {
    public static final int CODE = 0;

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
