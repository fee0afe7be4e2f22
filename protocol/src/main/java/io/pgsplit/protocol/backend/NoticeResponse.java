package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.WireMessage;
import java.util.Map;

/** A warning or informational message; same fields as {@link ErrorResponse}, but it never ends anything. */
public record NoticeResponse(Map<Byte, String> fields) implements WireMessage {

    public NoticeResponse {
        fields = ErrorFields.copyOf(fields);
    }

    /** The S, V, C and M fields, as PostgreSQL sets them (severity WARNING, NOTICE, INFO, ...). */
    public static NoticeResponse of(String severity, String sqlState, String message) {
        return new NoticeResponse(ErrorFields.of(severity, sqlState, message));
    }

    /** A field by its {@link ErrorFields} code, or null when absent. */
    public String field(byte code) {
        return fields.get(code);
    }

    public String severity() {
        return ErrorFields.severity(fields);
    }

    public String sqlState() {
        return fields.get(ErrorFields.SQLSTATE);
    }

    public String message() {
        return fields.get(ErrorFields.MESSAGE);
    }

    public static NoticeResponse decode(ByteBuf body) {
        return new NoticeResponse(ErrorFields.decode(body, "NoticeResponse"));
    }

    @Override
    public int encodedLength() {
        return ErrorFields.encodedLength(fields);
    }

    @Override
    public void encode(ByteBuf out) {
        ErrorFields.encode(out, MessageTypes.NOTICE_RESPONSE, fields);
    }

    @Override
    public String toString() {
        return ErrorFields.toString("NoticeResponse", fields);
    }
}
