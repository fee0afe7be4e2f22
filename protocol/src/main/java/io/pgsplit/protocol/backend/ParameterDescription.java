package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.WireMessage;
import java.util.Arrays;

/**
 * Answers Describe of a statement, before its RowDescription or NoData: the type OID of each
 * parameter. The array is copied in and out so the record stays immutable.
 */
public record ParameterDescription(int[] parameterTypes) implements WireMessage {
    private static final int MAX_PARAMETERS = 0xFFFF;

    public ParameterDescription {
        if (parameterTypes.length > MAX_PARAMETERS) {
            throw new IllegalArgumentException("at most " + MAX_PARAMETERS + " parameters fit in an Int16 count");
        }
        parameterTypes = parameterTypes.clone();
    }

    public static ParameterDescription decode(ByteBuf body) {
        int count = BodyReader.uint16(body, "ParameterDescription");
        BodyReader.requireElements(body, count, 4, "ParameterDescription");
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = body.readInt();
        }
        BodyReader.requireEnd(body, "ParameterDescription");
        return new ParameterDescription(types);
    }

    @Override
    public int[] parameterTypes() {
        return parameterTypes.clone();
    }

    @Override
    public int encodedLength() {
        return 5 + 2 + 4 * parameterTypes.length;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = MessageWriter.begin(out, MessageTypes.PARAMETER_DESCRIPTION);
        out.writeShort(parameterTypes.length);
        for (int type : parameterTypes) {
            out.writeInt(type);
        }
        MessageWriter.finish(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterDescription other && Arrays.equals(parameterTypes, other.parameterTypes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parameterTypes);
    }

    @Override
    public String toString() {
        return "ParameterDescription[parameterTypes=" + Arrays.toString(parameterTypes) + "]";
    }
}
