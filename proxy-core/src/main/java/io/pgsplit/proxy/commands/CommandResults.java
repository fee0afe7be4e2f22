package io.pgsplit.proxy.commands;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.backend.CommandComplete;
import io.pgsplit.protocol.backend.DataRow;
import io.pgsplit.protocol.backend.NoData;
import io.pgsplit.protocol.backend.RowDescription;
import io.pgsplit.proxy.commands.ProxyCommand.ExplainRoute;
import io.pgsplit.proxy.commands.ProxyCommand.Show;
import java.util.List;

/**
 * The result messages of a command, shaped as PostgreSQL shapes them for its own SET and SHOW: SHOW
 * returns one text column named after the parameter and tags its completion "SHOW"; SET returns no
 * rows and is tagged "SET". EXPLAIN (ROUTE) returns one row of text columns, tagged "EXPLAIN" as
 * PostgreSQL tags its EXPLAIN.
 */
final class CommandResults {
    private static final CommandComplete SET_COMPLETE = new CommandComplete("SET");
    private static final CommandComplete SHOW_COMPLETE = new CommandComplete("SHOW");
    private static final CommandComplete EXPLAIN_COMPLETE = new CommandComplete("EXPLAIN");

    private CommandResults() {
    }

    /** The RowDescription a SHOW returns; nothing for a SET (simple query protocol). */
    static void writeRowDescription(ProxyCommand command, ByteBuf out) {
        if (command instanceof Show show) {
            RowDescription.encodeTextColumns(out, List.of(show.name()));
        } else if (command instanceof ExplainRoute) {
            RowDescription.encodeTextColumns(out, ExplainRoute.COLUMNS);
        }
    }

    /** Whether the command answers with a row (SHOW, EXPLAIN (ROUTE)), as opposed to a SET. */
    static boolean returnsRow(ProxyCommand command) {
        return command instanceof Show || command instanceof ExplainRoute;
    }

    /** RowDescription for a SHOW, NoData for a SET: the end of an answer to Describe. */
    static void writeDescription(ProxyCommand command, ByteBuf out) {
        if (returnsRow(command)) {
            writeRowDescription(command, out);
        } else {
            NoData.encode(out);
        }
    }

    /** The values of the command's only row; null is SQL NULL. */
    static void writeRow(List<String> values, ByteBuf out) {
        DataRow.encodeText(out, values);
    }

    static void writeCompletion(ProxyCommand command, ByteBuf out) {
        CommandComplete tag = command instanceof Show ? SHOW_COMPLETE
                : command instanceof ExplainRoute ? EXPLAIN_COMPLETE : SET_COMPLETE;
        tag.encode(out);
    }
}
