package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.CStrings;
import java.nio.charset.StandardCharsets;

/**
 * Reads the statement names of a session's Bind messages without a new String each time: a client binds
 * the same few prepared statements over and over, so the last names read are kept with their bytes and
 * handed out again when the bytes match. Decodes as {@link CStrings#read} does (UTF-8, U+FFFD for
 * invalid sequences).
 */
final class StatementNameReader {
    private static final int SLOTS = 8;

    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] names = new String[SLOTS];
    private int next;

    /** The NUL-terminated name at {@code index}, which must end before {@code end}. */
    String read(ByteBuf buf, int index, int end) {
        int length = CStrings.terminatorOf(buf, index, end) - index;
        if (length == 0) {
            return ""; // the unnamed statement
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            byte[] known = bytes[slot];
            if (known != null && known.length == length && sameBytes(buf, index, known)) {
                return names[slot];
            }
        }
        byte[] copy = new byte[length];
        buf.getBytes(index, copy);
        String name = new String(copy, StandardCharsets.UTF_8);
        bytes[next] = copy;
        names[next] = name;
        next = (next + 1) % SLOTS;
        return name;
    }

    private static boolean sameBytes(ByteBuf buf, int index, byte[] known) {
        for (int i = 0; i < known.length; i++) {
            if (buf.getByte(index + i) != known[i]) {
                return false;
            }
        }
        return true;
    }
}
