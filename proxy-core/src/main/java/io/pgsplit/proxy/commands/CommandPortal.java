package io.pgsplit.proxy.commands;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import java.util.List;

/**
 * A bound command and how far Execute has taken it. As in PostgreSQL, the single row of a SHOW (or an
 * EXPLAIN (ROUTE)) can be fetched with a row limit (Execute with max rows 1 stops at PortalSuspended,
 * the next Execute completes it) and a finished one completes again with no rows, while a finished SET
 * cannot run again.
 */
final class CommandPortal {
    private final ProxyCommand command;
    private boolean executed;

    CommandPortal(ProxyCommand command) {
        this.command = command;
    }

    ProxyCommand command() {
        return command;
    }

    /**
     * Applies the command on the first call and writes this Execute's answer; false (nothing written)
     * when a SET was already executed.
     */
    boolean execute(int maxRows, CommandExecutor executor, ByteBuf out) {
        if (executed) {
            if (!CommandResults.returnsRow(command)) {
                return false;
            }
            CommandResults.writeCompletion(command, out);
            return true;
        }
        executed = true;
        List<String> row = executor.execute(command);
        if (CommandResults.returnsRow(command)) {
            CommandResults.writeRow(row, out);
            if (maxRows == 1) {
                MessageWriter.writeEmpty(out, MessageTypes.PORTAL_SUSPENDED);
                return true;
            }
        }
        CommandResults.writeCompletion(command, out);
        return true;
    }
}
