package io.pgsplit.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Objects;

/**
 * A 'p' message answering AuthenticationCleartextPassword or AuthenticationMD5Password: the password
 * itself or its "md5..." hash. toString hides it so it cannot end up in a log.
 */
public record PasswordMessage(String password) implements WireMessage {

    public PasswordMessage {
        Objects.requireNonNull(password, "password");
    }

    public static PasswordMessage decode(ByteBuf body) {
        String password = CStrings.read(body);
        BodyReader.requireEnd(body, "PasswordMessage");
        return new PasswordMessage(password);
    }

    @Override
    public int encodedLength() {
        return 5 + CStrings.encodedLength(password);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.PASSWORD);
        CStrings.write(out, password);
        MessageWriter.finish(out, start);
    }

    @Override
    public String toString() {
        return "PasswordMessage[password=<hidden>]";
    }
}
