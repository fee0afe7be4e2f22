package io.pgsplit.protocol.startup;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.WireMessage;

/** Asks the server to upgrade to TLS; answered with a single 'S' or 'N' byte, not a message. */
public record SslRequest() implements StartupPacket, WireMessage {
    public static final int CODE = 80877103;
    public static final int LENGTH = 8;

    @Override
    public int encodedLength() {
        return LENGTH;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(LENGTH);
        out.writeInt(CODE);
    }
}
