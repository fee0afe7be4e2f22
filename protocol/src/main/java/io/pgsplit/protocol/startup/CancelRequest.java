package io.pgsplit.protocol.startup;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.WireMessage;

/**
 * Sent on a fresh connection to cancel the query running on the session identified by the key
 * from BackendKeyData. Keys are 4 bytes: protocol 3.2's longer keys never occur because the proxy
 * negotiates 3.0 in both directions.
 */
public record CancelRequest(int processId, int secretKey) implements StartupPacket, WireMessage {
    public static final int CODE = 80877102;
    public static final int LENGTH = 16;

    @Override
    public int encodedLength() {
        return LENGTH;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(LENGTH);
        out.writeInt(CODE);
        out.writeInt(processId);
        out.writeInt(secretKey);
    }
}
