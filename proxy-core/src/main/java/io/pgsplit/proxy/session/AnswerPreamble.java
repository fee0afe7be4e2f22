package io.pgsplit.proxy.session;

import static io.pgsplit.protocol.MessageFraming.HEADER_LENGTH;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;

/**
 * The messages a server sends before the rows, completion or error of an answer (ParseComplete, BindComplete,
 * ParameterDescription, RowDescription, NoData), and those it may send at any time (notices, notifications,
 * parameter changes). A client shown only these can be shown another server's whole answer instead.
 */
final class AnswerPreamble {
    private AnswerPreamble() {
    }

    /** True when {@code run} (not consumed) is whole messages, all of the preamble. */
    static boolean only(ByteBuf run) {
        int index = run.readerIndex();
        int end = run.writerIndex();
        while (index < end) {
            if (end - index < HEADER_LENGTH || !isPreamble(run.getByte(index))) {
                return false;
            }
            int next = index + 1 + run.getInt(index + 1);
            if (next > end || next <= index) {
                return false; // the run ends inside this message
            }
            index = next;
        }
        return true;
    }

    private static boolean isPreamble(byte type) {
        return switch (type) {
            case MessageTypes.PARSE_COMPLETE, MessageTypes.BIND_COMPLETE, MessageTypes.PARAMETER_DESCRIPTION,
                 MessageTypes.ROW_DESCRIPTION, MessageTypes.NO_DATA, MessageTypes.NOTICE_RESPONSE,
                 MessageTypes.NOTIFICATION_RESPONSE, MessageTypes.PARAMETER_STATUS -> true;
            default -> false;
        };
    }
}
