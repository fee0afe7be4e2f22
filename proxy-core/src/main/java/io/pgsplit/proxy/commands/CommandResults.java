package io.pgsplit.proxy.commands;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.backend.CommandComplete;
import io.pgsplit.protocol.backend.DataRow;
import io.pgsplit.protocol.backend.NoData;
import io.pgsplit.protocol.backend.RowDescription;
import io.pgsplit.proxy.commands.ProxyCommand.Show;
import java.util.Collections;
import java.util.List;

/**
 * The result messages of a command, shaped as PostgreSQL shapes them for its own SET and SHOW: SHOW
 * returns one text column named after the parameter and tags its completion "SHOW"; SET returns no
 * rows and is tagged "SET".
 */
final class CommandResults {
    private static final CommandComplete SET_COMPLETE = new CommandComplete("SET");
    private static final CommandComplete SHOW_COMPLETE = new CommandComplete("SHOW");

    private CommandResults() {
    }

    /** The RowDescription a SHOW returns; nothing for a SET (simple query protocol). */
    static void writeRowDescription(ProxyCommand command, ByteBuf out) {
        if (command instanceof Show show) {
            RowDescription.encodeTextColumns(out, List.of(show.name()));
        }
    }

    /** RowDescription for a SHOW, NoData for a SET: the end of an answer to Describe. */
    static void writeDescription(ProxyCommand command, ByteBuf out) {
        if (command instanceof Show) {
            writeRowDescription(command, out);
        } else {
            NoData.encode(out);
        }
    }

    /** The value of a SHOW as its only row; null is SQL NULL. */
    static void writeRow(String value, ByteBuf out) {
        DataRow.encodeText(out, Collections.singletonList(value));
    }

    static void writeCompletion(ProxyCommand command, ByteBuf out) {
        (command instanceof Show ? SHOW_COMPLETE : SET_COMPLETE).encode(out);
    }
}
