package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;

/**
 * The layout every 'R' message shares: header, the Int32 code, then the method's payload (nothing,
 * a salt, SASL data or a mechanism list), so the length arithmetic lives in one place.
 */
final class AuthenticationEncoding {
    /** Header plus code: the whole message for requests without a payload. */
    static final int CODE_ONLY_LENGTH = MessageFraming.HEADER_LENGTH + 4;

    private AuthenticationEncoding() {
    }

    static int encodedLength(byte[] payload) {
        return CODE_ONLY_LENGTH + payload.length;
    }

    /** Writes the header and code; the caller appends its payload and ends with {@link MessageWriter#finish}. */
    static int begin(ByteBuf out, int code) {
        int start = MessageWriter.begin(out, MessageTypes.AUTHENTICATION);
        out.writeInt(code);
        return start;
    }

    static void encode(ByteBuf out, int code) {
        MessageWriter.finish(out, begin(out, code));
    }

    static void encode(ByteBuf out, int code, byte[] payload) {
        int start = begin(out, code);
        out.writeBytes(payload);
        MessageWriter.finish(out, start);
    }
}
