package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Sent instead of failing when the client asked for a newer minor version or for "_pq_." options:
 * the newest minor version supported and the options not recognised. The client then decides
 * whether to continue.
 */
public record NegotiateProtocolVersion(int newestMinorVersion, List<String> unrecognizedOptions) implements WireMessage {

    public NegotiateProtocolVersion {
        unrecognizedOptions = List.copyOf(unrecognizedOptions);
    }

    public static NegotiateProtocolVersion decode(ByteBuf body) {
        int newestMinorVersion = BodyReader.int32(body, "NegotiateProtocolVersion");
        int count = BodyReader.int32(body, "NegotiateProtocolVersion");
        BodyReader.requireElements(body, count, 1, "NegotiateProtocolVersion");
        List<String> options = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            options.add(CStrings.read(body));
        }
        BodyReader.requireEnd(body, "NegotiateProtocolVersion");
        return new NegotiateProtocolVersion(newestMinorVersion, options);
    }

    @Override
    public int encodedLength() {
        int length = 5 + 4 + 4;
        for (String option : unrecognizedOptions) {
            length += CStrings.encodedLength(option);
        }
        return length;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.NEGOTIATE_PROTOCOL_VERSION);
        out.writeInt(newestMinorVersion);
        out.writeInt(unrecognizedOptions.size());
        for (String option : unrecognizedOptions) {
            CStrings.write(out, option);
        }
        MessageWriter.finish(out, start);
    }
}
