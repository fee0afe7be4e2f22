package io.pgsplit.proxy.commands;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.proxy.commands.ProxyCommand.Show;
import java.util.function.Function;

/**
 * A bound command and how far Execute has taken it. As in PostgreSQL, a SHOW's single row can be fetched
 * with a row limit (Execute with max rows 1 stops at PortalSuspended, the next Execute completes it) and
 * a finished SHOW completes again with no rows, while a finished SET cannot run again.
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
    boolean execute(int maxRows, Function<ProxyCommand, String> executor, ByteBuf out) {
        if (executed) {
            if (!(command instanceof Show)) {
                return false;
            }
            CommandResults.writeCompletion(command, out);
            return true;
        }
        executed = true;
        String value = executor.apply(command);
        if (command instanceof Show) {
            CommandResults.writeRow(value, out);
            if (maxRows == 1) {
                MessageWriter.writeEmpty(out, MessageTypes.PORTAL_SUSPENDED);
                return true;
            }
        }
        CommandResults.writeCompletion(command, out);
        return true;
    }
}
