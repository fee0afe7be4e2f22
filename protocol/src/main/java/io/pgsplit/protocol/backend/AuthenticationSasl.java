package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageWriter;
import java.util.ArrayList;
import java.util.List;

/** Starts SASL: the mechanisms the server accepts, in its order of preference. */
public record AuthenticationSasl(List<String> mechanisms) implements AuthenticationMessage {
    public static final int CODE = 10;

    public AuthenticationSasl {
        mechanisms = List.copyOf(mechanisms);
        if (mechanisms.contains("")) {
            throw new IllegalArgumentException("an empty mechanism name would end the list on the wire");
        }
    }

    /** Reads names up to the empty string that ends the list. */
    static AuthenticationSasl decodeMechanisms(ByteBuf body) {
        List<String> mechanisms = new ArrayList<>();
        for (String name = CStrings.read(body); !name.isEmpty(); name = CStrings.read(body)) {
            mechanisms.add(name);
        }
        return new AuthenticationSasl(mechanisms);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int encodedLength() {
        int length = AuthenticationEncoding.CODE_ONLY_LENGTH + 1;
        for (String mechanism : mechanisms) {
            length += CStrings.encodedLength(mechanism);
        }
        return length;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = AuthenticationEncoding.begin(out, CODE);
        for (String mechanism : mechanisms) {
            CStrings.write(out, mechanism);
        }
        out.writeByte(0);
        MessageWriter.finish(out, start);
    }
}
