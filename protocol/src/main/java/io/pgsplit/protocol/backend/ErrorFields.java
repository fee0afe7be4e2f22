package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The field model ErrorResponse and NoticeResponse share: (code byte, string) pairs ended by a zero
 * byte. Order is kept because clients such as psql print fields in the order received.
 */
public final class ErrorFields {
    /** Severity in the server's lc_messages language ("FEHLER" from a German server). */
    public static final byte SEVERITY = 'S';
    /** Severity that is never localized; what the proxy should inspect. */
    public static final byte SEVERITY_NON_LOCALIZED = 'V';
    public static final byte SQLSTATE = 'C';
    public static final byte MESSAGE = 'M';
    public static final byte DETAIL = 'D';
    public static final byte HINT = 'H';
    public static final byte POSITION = 'P';
    public static final byte INTERNAL_POSITION = 'p';
    public static final byte INTERNAL_QUERY = 'q';
    public static final byte WHERE = 'W';
    public static final byte SCHEMA_NAME = 's';
    public static final byte TABLE_NAME = 't';
    public static final byte COLUMN_NAME = 'c';
    public static final byte DATA_TYPE_NAME = 'd';
    public static final byte CONSTRAINT_NAME = 'n';
    public static final byte FILE = 'F';
    public static final byte LINE = 'L';
    public static final byte ROUTINE = 'R';

    private ErrorFields() {
    }

    /** Severity, SQLSTATE and message, the fields PostgreSQL always sends, in its order. */
    static Map<Byte, String> of(String severity, String sqlState, String message) {
        Map<Byte, String> fields = new LinkedHashMap<>();
        fields.put(SEVERITY, severity);
        fields.put(SEVERITY_NON_LOCALIZED, severity);
        fields.put(SQLSTATE, sqlState);
        fields.put(MESSAGE, message);
        return fields;
    }

    /** Validated, ordered and unmodifiable copy. */
    static Map<Byte, String> copyOf(Map<Byte, String> fields) {
        Map<Byte, String> copy = new LinkedHashMap<>();
        fields.forEach((code, value) -> {
            if (code == 0) {
                throw new IllegalArgumentException("field code 0 is the list terminator");
            }
            if (value == null) {
                throw new IllegalArgumentException("field '" + (char) code.byteValue() + "' has no value");
            }
            copy.put(code, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    static Map<Byte, String> with(Map<Byte, String> fields, byte code, String value) {
        Map<Byte, String> copy = new LinkedHashMap<>(fields);
        copy.put(code, value);
        return copy;
    }

    /** The non-localized severity when present (PostgreSQL 9.6+), else the localized one. */
    static String severity(Map<Byte, String> fields) {
        String severity = fields.get(SEVERITY_NON_LOCALIZED);
        return severity != null ? severity : fields.get(SEVERITY);
    }

    /** Renders codes as letters ("S=FATAL") rather than the numbers a {@code Map<Byte, String>} would print. */
    static String toString(String messageName, Map<Byte, String> fields) {
        StringJoiner joiner = new StringJoiner(", ", messageName + "[", "]");
        fields.forEach((code, value) -> joiner.add((char) code.byteValue() + "=" + value));
        return joiner.toString();
    }

    static Map<Byte, String> decode(ByteBuf body, String message) {
        Map<Byte, String> fields = new LinkedHashMap<>();
        for (byte code = BodyReader.int8(body, message); code != 0; code = BodyReader.int8(body, message)) {
            fields.put(code, CStrings.read(body));
        }
        BodyReader.requireEnd(body, message);
        return fields;
    }

    /** Whole message: header, each field's code and value, terminator. */
    static int encodedLength(Map<Byte, String> fields) {
        int length = MessageFraming.HEADER_LENGTH + 1;
        for (String value : fields.values()) {
            length += 1 + CStrings.encodedLength(value);
        }
        return length;
    }

    /** Writes a whole ErrorResponse or NoticeResponse, which differ only in {@code type}. */
    static void encode(ByteBuf out, byte type, Map<Byte, String> fields) {
        int start = MessageWriter.begin(out, type);
        fields.forEach((code, value) -> {
            out.writeByte(code);
            CStrings.write(out, value);
        });
        out.writeByte(0);
        MessageWriter.finish(out, start);
    }
}
