package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Objects;

/** A reported run-time parameter (server_version, client_encoding, TimeZone, ...) and its current value. */
public record ParameterStatus(String name, String value) implements WireMessage {

    public ParameterStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public static ParameterStatus decode(ByteBuf body) {
        String name = CStrings.read(body);
        String value = CStrings.read(body);
        BodyReader.requireEnd(body, "ParameterStatus");
        return new ParameterStatus(name, value);
    }

    @Override
    public int encodedLength() {
        return 5 + CStrings.encodedLength(name) + CStrings.encodedLength(value);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.PARAMETER_STATUS);
        CStrings.write(out, name);
        CStrings.write(out, value);
        MessageWriter.finish(out, start);
    }
}
