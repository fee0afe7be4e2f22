package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Objects;

/** A NOTIFY delivered to a listening session; {@code pid} is the notifying server process. */
public record NotificationResponse(int pid, String channel, String payload) implements WireMessage {

    public NotificationResponse {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(payload, "payload");
    }

    public static NotificationResponse decode(ByteBuf body) {
        int pid = BodyReader.int32(body, "NotificationResponse");
        String channel = CStrings.read(body);
        String payload = CStrings.read(body);
        BodyReader.requireEnd(body, "NotificationResponse");
        return new NotificationResponse(pid, channel, payload);
    }

    @Override
    public int encodedLength() {
        return 5 + 4 + CStrings.encodedLength(channel) + CStrings.encodedLength(payload);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.NOTIFICATION_RESPONSE);
        out.writeInt(pid);
        CStrings.write(out, channel);
        CStrings.write(out, payload);
        MessageWriter.finish(out, start);
    }
}
