package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.WireMessage;
import java.util.Map;

/** An error; with severity FATAL or PANIC the sender closes the connection after it. Fields in wire order. */
public record ErrorResponse(Map<Byte, String> fields) implements WireMessage {

    public ErrorResponse {
        fields = ErrorFields.copyOf(fields);
    }

    /** The S, V, C and M fields, as PostgreSQL sets them. */
    public static ErrorResponse of(String severity, String sqlState, String message) {
        return new ErrorResponse(ErrorFields.of(severity, sqlState, message));
    }

    public static ErrorResponse fatal(String sqlState, String message) {
        return of("FATAL", sqlState, message);
    }

    public static ErrorResponse error(String sqlState, String message) {
        return of("ERROR", sqlState, message);
    }

    public ErrorResponse withDetail(String detail) {
        return new ErrorResponse(ErrorFields.with(fields, ErrorFields.DETAIL, detail));
    }

    public ErrorResponse withHint(String hint) {
        return new ErrorResponse(ErrorFields.with(fields, ErrorFields.HINT, hint));
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

    public static ErrorResponse decode(ByteBuf body) {
        return new ErrorResponse(ErrorFields.decode(body, "ErrorResponse"));
    }

    @Override
    public int encodedLength() {
        return ErrorFields.encodedLength(fields);
    }

    @Override
    public void encode(ByteBuf out) {
        ErrorFields.encode(out, MessageTypes.ERROR_RESPONSE, fields);
    }

    @Override
    public String toString() {
        return ErrorFields.toString("ErrorResponse", fields);
    }
}
