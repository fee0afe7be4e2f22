package io.pgsplit.proxy.commands;

import io.pgsplit.proxy.commands.ProxyCommand.ExplainRoute;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** What the session does with a command: applies a SET, answers a SHOW or an EXPLAIN (ROUTE). */
@FunctionalInterface
public interface CommandExecutor {

    /** Applies {@code command}; returns its row (one value for SHOW, the route for EXPLAIN), null for SET. */
    List<String> execute(ProxyCommand command);

    /**
     * Joins the two halves: {@code settings} applies SET and returns SHOW's value, {@code explain} gives the
     * row of an EXPLAIN (ROUTE).
     */
    static CommandExecutor of(Function<ProxyCommand, String> settings, Function<ExplainRoute, List<String>> explain) {
        return command -> {
            if (command instanceof ExplainRoute route) {
                return explain.apply(route);
            }
            String value = settings.apply(command);
            return CommandResults.returnsRow(command) ? Collections.singletonList(value) : null;
        };
    }
}
