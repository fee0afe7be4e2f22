package io.pgsplit.proxy.session;

import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.state.SessionState;
import io.pgsplit.router.SessionCommand.Prepare;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a server connection must run, invisibly, before it serves a client's next group: the
 * client's settings where the connection differs (another client used it, or the client changed
 * them elsewhere), and the SQL-level prepared statements the group executes. Only at a group
 * boundary outside a transaction — inside one, the connection already is the client's.
 */
final class ServerAlignment {
    private ServerAlignment() {
    }

    /** One simple-query string, or null when the connection is in line already. */
    static String statementsFor(BackendConnection backend, SessionState state, List<String> executedStatements) {
        if (backend.transactionStatus() != TransactionStatus.IDLE || backend.pendingGroupOpen()) {
            return null;
        }
        // Built only when something is to run: the connection is usually in line already.
        StringJoiner statements = null;
        if (backend.settings().changesHandsTo(state.settings()) && !backend.sqlPrepared().isEmpty()) {
            statements = forgetOthersPrepared(backend, state, statements);
        }
        String settings = backend.settings().alignWith(state.settings());
        if (settings != null) {
            statements = joined(statements, settings);
        }
        for (int i = 0; i < executedStatements.size(); i++) {
            String name = executedStatements.get(i);
            Prepare prepare = state.sqlPrepared(name);
            String existing = backend.sqlPrepared().get(name);
            if (prepare == null || prepare.replaySql().equals(existing)) {
                continue;
            }
            if (existing != null) {
                statements = joined(statements, "DEALLOCATE " + quoteIdentifier(name));
            }
            statements = joined(statements, prepare.replaySql());
            backend.sqlPrepared().put(name, prepare.replaySql());
        }
        return statements == null ? null : statements.toString();
    }

    /**
     * A pooled connection that served another client may hold that client's SQL-prepared statements:
     * they are deallocated before this client can EXECUTE one by its name (PostgreSQL would say it does
     * not exist). Statements this very client prepared, with the same text, stay.
     */
    private static StringJoiner forgetOthersPrepared(BackendConnection backend, SessionState state,
                                                     StringJoiner statements) {
        StringJoiner joined = statements;
        for (Iterator<Map.Entry<String, String>> held = backend.sqlPrepared().entrySet().iterator(); held.hasNext(); ) {
            Map.Entry<String, String> statement = held.next();
            Prepare own = state.sqlPrepared(statement.getKey());
            if (own == null || !own.replaySql().equals(statement.getValue())) {
                joined = joined(joined, "DEALLOCATE " + quoteIdentifier(statement.getKey()));
                held.remove();
            }
        }
        return joined;
    }

    private static StringJoiner joined(StringJoiner statements, String statement) {
        return (statements == null ? new StringJoiner("; ") : statements).add(statement);
    }

    private static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
