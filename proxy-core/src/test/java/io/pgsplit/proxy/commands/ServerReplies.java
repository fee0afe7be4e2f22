package io.pgsplit.proxy.commands;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.backend.CommandComplete;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.ParameterDescription;
import io.pgsplit.protocol.backend.ReadyForQuery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Decodes server messages into one line each, with the protocol module's decoders where it has them.
 * RowDescription and DataRow, which the proxy only encodes, are read here field by field; every
 * decoder must consume its whole body, so a wrong length cannot go unnoticed.
 */
public final class ServerReplies {

    private ServerReplies() {
    }

    public static List<String> lines(ByteBuf reply) {
        List<String> lines = new ArrayList<>();
        int index = reply.readerIndex();
        while (index < reply.writerIndex()) {
            int length = MessageFraming.completeMessageLength(reply, index, Integer.MAX_VALUE);
            if (length < 0) {
                throw new AssertionError("reply ends inside a message at offset " + index);
            }
            byte type = MessageFraming.type(reply, index);
            ByteBuf body = reply.slice(index + MessageFraming.HEADER_LENGTH, length - MessageFraming.HEADER_LENGTH);
            lines.add(line(type, body));
            if (body.isReadable()) {
                throw new AssertionError(MessageTypes.backendName(type) + " has " + body.readableBytes() + " bytes too many");
            }
            index += length;
        }
        return lines;
    }

    private static String line(byte type, ByteBuf body) {
        return switch (type) {
            case MessageTypes.ROW_DESCRIPTION -> rowDescription(body);
            case MessageTypes.DATA_ROW -> dataRow(body);
            case MessageTypes.COMMAND_COMPLETE -> "CommandComplete " + CommandComplete.decode(body).tag();
            case MessageTypes.READY_FOR_QUERY -> "ReadyForQuery " + (char) ReadyForQuery.decode(body).status().code();
            case MessageTypes.ERROR_RESPONSE -> error(ErrorResponse.decode(body));
            case MessageTypes.PARAMETER_DESCRIPTION ->
                    "ParameterDescription " + Arrays.toString(ParameterDescription.decode(body).parameterTypes());
            case MessageTypes.COPY_IN_RESPONSE, MessageTypes.COPY_OUT_RESPONSE -> {
                body.skipBytes(body.readableBytes()); // format codes only
                yield MessageTypes.backendName(type);
            }
            default -> MessageTypes.backendName(type); // ParseComplete, BindComplete, NoData, ...: no body
        };
    }

    /** "RowDescription name:typeOid:format, …"; the other fields must be PostgreSQL's for a computed column. */
    private static String rowDescription(ByteBuf body) {
        StringJoiner columns = new StringJoiner(", ", "RowDescription ", "");
        int count = body.readShort();
        for (int i = 0; i < count; i++) {
            String name = CStrings.read(body);
            int tableOid = body.readInt();
            short attribute = body.readShort();
            int typeOid = body.readInt();
            short typeSize = body.readShort();
            int typeModifier = body.readInt();
            short format = body.readShort();
            if (tableOid != 0 || attribute != 0 || typeSize != -1 || typeModifier != -1) {
                throw new AssertionError("column " + name + " is not described as a computed text column");
            }
            columns.add(name + ":" + typeOid + ":" + format);
        }
        return columns.toString();
    }

    private static String dataRow(ByteBuf body) {
        StringJoiner values = new StringJoiner(", ", "DataRow ", "");
        int count = body.readShort();
        for (int i = 0; i < count; i++) {
            int length = body.readInt();
            values.add(length < 0 ? "NULL" : body.readCharSequence(length, StandardCharsets.UTF_8).toString());
        }
        return values.toString();
    }

    private static String error(ErrorResponse error) {
        return "ErrorResponse " + error.severity() + " " + error.sqlState() + " " + error.message();
    }
}
