package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Objects;

/** Runs a portal; {@code maxRows} 0 means all rows, otherwise the server stops with PortalSuspended. */
public record Execute(String portalName, int maxRows) implements WireMessage {

    public Execute {
        Objects.requireNonNull(portalName, "portalName");
    }

    public static Execute decode(ByteBuf body) {
        String portalName = CStrings.read(body);
        int maxRows = BodyReader.int32(body, "Execute");
        BodyReader.requireEnd(body, "Execute");
        return new Execute(portalName, maxRows);
    }

    @Override
    public int encodedLength() {
        return 5 + CStrings.encodedLength(portalName) + 4;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.EXECUTE);
        CStrings.write(out, portalName);
        out.writeInt(maxRows);
        MessageWriter.finish(out, start);
    }
}
