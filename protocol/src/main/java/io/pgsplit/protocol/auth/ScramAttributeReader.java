package io.pgsplit.protocol.auth;

/**
 * Reads the comma-separated "x=value" attributes of a SCRAM message in order. SCRAM values never
 * contain commas (user names escape them as "=2C"), so a comma always ends an attribute.
 */
final class ScramAttributeReader {
    private final String message;
    private int position;

    ScramAttributeReader(String message) {
        this.message = message;
    }

    boolean hasMore() {
        return position < message.length();
    }

    /** Offset of the next attribute, for messages whose signed part ends before a given attribute. */
    int position() {
        return position;
    }

    char peekName() {
        if (!hasMore()) {
            throw new ScramException("malformed SCRAM message: unexpected end of message");
        }
        return message.charAt(position);
    }

    /** Reads the next attribute, which must be {@code name}, and returns its value. */
    String read(char name) {
        if (peekName() != name || position + 1 >= message.length() || message.charAt(position + 1) != '=') {
            throw new ScramException("malformed SCRAM message: expected attribute '" + name + "'");
        }
        int end = message.indexOf(',', position);
        if (end < 0) {
            String value = message.substring(position + 2);
            position = message.length();
            return value;
        }
        if (end == message.length() - 1) {
            throw new ScramException("malformed SCRAM message: trailing comma");
        }
        String value = message.substring(position + 2, end);
        position = end + 1;
        return value;
    }

    /** Skips an optional extension attribute, which PostgreSQL ignores. */
    void skipExtension() {
        char name = peekName();
        if (!(name >= 'a' && name <= 'z' || name >= 'A' && name <= 'Z')) {
            throw new ScramException("malformed SCRAM message: invalid attribute name");
        }
        read(name);
    }

    void requireEnd() {
        if (hasMore()) {
            throw new ScramException("malformed SCRAM message: garbage at end of message");
        }
    }
}
