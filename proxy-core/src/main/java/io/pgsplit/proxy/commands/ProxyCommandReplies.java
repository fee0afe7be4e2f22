package io.pgsplit.proxy.commands;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.BindComplete;
import io.pgsplit.protocol.backend.CloseComplete;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.ParameterDescription;
import io.pgsplit.protocol.backend.ParseComplete;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.frontend.BindTarget;
import io.pgsplit.protocol.frontend.Close;
import io.pgsplit.protocol.frontend.Describe;
import io.pgsplit.protocol.frontend.Execute;
import io.pgsplit.protocol.frontend.Parse;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.protocol.frontend.TargetKind;
import io.pgsplit.proxy.commands.ProxyCommand.Invalid;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Answers a request (one simple Query, or an extended-protocol group up to Sync) whose statements are
 * all {@link ProxyCommand}s, byte for byte as PostgreSQL answers its own SET and SHOW, so drivers need no
 * special case.
 *
 * <p>Statements and portals are known only from this request's own Parse and Bind messages: a Bind,
 * Describe or Execute naming a statement parsed in an earlier request is answered as PostgreSQL would
 * answer an unknown one (26000 / 34000). A caller that lets clients reuse a named pgsplit statement must
 * keep its Parse and prepend it to such a request. Invalid commands fail at Parse, where PostgreSQL
 * reports syntax errors (it reports a bad SET value at Execute; the client sees the same error).
 * An error does not abort a transaction the session has open on its server, so ReadyForQuery always
 * carries the status given.
 */
public final class ProxyCommandReplies {
    /** PostgreSQL's SQLSTATEs for statement and portal bookkeeping, not otherwise used by the proxy. */
    private static final String INVALID_SQL_STATEMENT_NAME = "26000";
    private static final String INVALID_CURSOR_NAME = "34000";
    private static final String DUPLICATE_PREPARED_STATEMENT = "42P05";
    private static final String DUPLICATE_CURSOR = "42P03";
    private static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    private static final int TEXT_OID = 25;
    /** PostgreSQL's limit on the parameters of one statement. */
    private static final int MAX_PARAMETERS = 65_535;
    private static final String ABORTED_TRANSACTION =
            "current transaction is aborted, commands ignored until end of transaction block";

    /** A statement parsed in this request. */
    private record PreparedCommand(ProxyCommand command, ParameterDescription parameters) {
    }

    private final CommandExecutor executor;
    private final TransactionStatus status;
    private final ByteBuf out;
    private final Map<String, PreparedCommand> statements = new HashMap<>();
    private final Map<String, CommandPortal> portals = new HashMap<>();
    /** After an error in extended mode, PostgreSQL ignores every message up to Sync. */
    private boolean skippingToSync;

    private ProxyCommandReplies(CommandExecutor executor, TransactionStatus status, ByteBuf out) {
        this.executor = executor;
        this.status = status;
        this.out = out;
    }

    /**
     * The bytes PostgreSQL would send for {@code request}: whole client messages, Query or
     * Parse/Bind/Describe/Execute/Close/Flush/Sync, read from its reader index without moving it and
     * not released. {@code executor} applies a command and returns the value a SHOW displays (null for
     * SET); it runs once per Query and once per portal, at its first Execute. Throws
     * IllegalArgumentException if a Query or Parse holds SQL that is not a pgsplit command, or the
     * request holds any other kind of message or ends inside one.
     */
    public static ByteBuf answer(ByteBuf request, Function<ProxyCommand, String> executor, TransactionStatus status,
                                 ByteBufAllocator alloc) {
        return answer(request, CommandExecutor.of(executor, explain -> {
            throw new IllegalArgumentException("EXPLAIN (ROUTE) needs a session to answer it");
        }), status, alloc);
    }

    /** As above, with an executor that answers EXPLAIN (ROUTE) too. */
    public static ByteBuf answer(ByteBuf request, CommandExecutor executor, TransactionStatus status,
                                 ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer();
        try {
            new ProxyCommandReplies(executor, status, out).walk(request);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private void walk(ByteBuf request) {
        int index = request.readerIndex();
        while (index < request.writerIndex()) {
            int length = MessageFraming.completeMessageLength(request, index, Integer.MAX_VALUE);
            if (length < 0) {
                throw new IllegalArgumentException("the request ends inside a message");
            }
            byte type = MessageFraming.type(request, index);
            ByteBuf body = request.slice(index + MessageFraming.HEADER_LENGTH, length - MessageFraming.HEADER_LENGTH);
            index += length;
            if (type == MessageTypes.SYNC) {
                sync();
            } else if (!skippingToSync) {
                reply(type, body);
            }
        }
    }

    private void reply(byte type, ByteBuf body) {
        switch (type) {
            case MessageTypes.QUERY -> query(Query.decode(body).sql());
            case MessageTypes.PARSE -> parse(Parse.decode(body));
            case MessageTypes.BIND -> bind(BindTarget.decode(body));
            case MessageTypes.DESCRIBE -> describe(Describe.decode(body));
            case MessageTypes.EXECUTE -> execute(Execute.decode(body));
            case MessageTypes.CLOSE -> close(Close.decode(body));
            case MessageTypes.FLUSH -> {
                // Everything is answered at once; there is nothing buffered to push out.
            }
            default -> throw new IllegalArgumentException(
                    MessageTypes.frontendName(type) + " cannot be part of a pgsplit command request");
        }
    }

    /** A simple Query is its own sync point: errors skip nothing after it. */
    private void query(String sql) {
        ProxyCommand command = commandOf(sql);
        if (status == TransactionStatus.FAILED) {
            writeError(SqlState.IN_FAILED_SQL_TRANSACTION, ABORTED_TRANSACTION);
        } else if (command instanceof Invalid invalid) {
            writeError(invalid.sqlState(), invalid.message());
        } else {
            CommandResults.writeRowDescription(command, out);
            new CommandPortal(command).execute(0, executor, out); // like an unnamed portal run to completion
        }
        new ReadyForQuery(status).encode(out);
    }

    private void parse(Parse parse) {
        ProxyCommand command = commandOf(parse.sql());
        String name = parse.statementName();
        if (status == TransactionStatus.FAILED) {
            fail(SqlState.IN_FAILED_SQL_TRANSACTION, ABORTED_TRANSACTION);
        } else if (command instanceof Invalid invalid) {
            fail(invalid.sqlState(), invalid.message());
        } else if (!name.isEmpty() && statements.containsKey(name)) {
            fail(DUPLICATE_PREPARED_STATEMENT, "prepared statement \"" + name + "\" already exists");
        } else {
            statements.put(name, new PreparedCommand(command, new ParameterDescription(parameterTypes(parse, command))));
            ParseComplete.encode(out);
        }
    }

    private void bind(BindTarget bind) {
        PreparedCommand statement = statements.get(bind.statementName());
        String portal = bind.portalName();
        if (statement == null) {
            failMissingStatement(bind.statementName());
        } else if (status == TransactionStatus.FAILED) {
            fail(SqlState.IN_FAILED_SQL_TRANSACTION, ABORTED_TRANSACTION);
        } else if (!portal.isEmpty() && portals.containsKey(portal)) {
            fail(DUPLICATE_CURSOR, "cursor \"" + portal + "\" already exists");
        } else {
            portals.put(portal, new CommandPortal(statement.command()));
            BindComplete.encode(out);
        }
    }

    private void describe(Describe describe) {
        if (describe.kind() == TargetKind.STATEMENT) {
            PreparedCommand statement = statements.get(describe.name());
            if (statement == null) {
                failMissingStatement(describe.name());
            } else {
                statement.parameters().encode(out);
                CommandResults.writeDescription(statement.command(), out);
            }
        } else {
            CommandPortal portal = portals.get(describe.name());
            if (portal == null) {
                failMissingPortal(describe.name());
            } else {
                CommandResults.writeDescription(portal.command(), out);
            }
        }
    }

    private void execute(Execute execute) {
        CommandPortal portal = portals.get(execute.portalName());
        if (portal == null) {
            failMissingPortal(execute.portalName());
        } else if (status == TransactionStatus.FAILED) {
            fail(SqlState.IN_FAILED_SQL_TRANSACTION, ABORTED_TRANSACTION);
        } else if (!portal.execute(execute.maxRows(), executor, out)) {
            fail(OBJECT_NOT_IN_PREREQUISITE_STATE, "portal \"" + execute.portalName() + "\" cannot be run");
        }
    }

    private void close(Close close) {
        (close.kind() == TargetKind.STATEMENT ? statements : portals).remove(close.name());
        CloseComplete.encode(out);
    }

    /** Outside a transaction, Sync ends the implicit one and PostgreSQL drops its portals with it. */
    private void sync() {
        skippingToSync = false;
        if (status == TransactionStatus.IDLE) {
            portals.clear();
        }
        new ReadyForQuery(status).encode(out);
    }

    /**
     * The statement's parameters as the client declared them. For EXPLAIN (ROUTE), whose statement may use
     * {@code $n} the client left undeclared (or declared as 0, unspecified), these are text, as PostgreSQL would
     * infer for a parameter nothing constrains.
     */
    private static int[] parameterTypes(Parse parse, ProxyCommand command) {
        int[] declared = parse.parameterTypes();
        if (!(command instanceof ProxyCommand.ExplainRoute explain)) {
            return declared;
        }
        int used = Math.min(MAX_PARAMETERS, Parameters.highest(explain.statement()));
        int[] types = Arrays.copyOf(declared, Math.max(declared.length, used));
        for (int i = 0; i < types.length; i++) {
            if (types[i] == 0) {
                types[i] = TEXT_OID;
            }
        }
        return types;
    }

    private static ProxyCommand commandOf(String sql) {
        return ProxyCommands.parse(sql).orElseThrow(() -> new IllegalArgumentException("not a pgsplit command: " + sql));
    }

    private void failMissingStatement(String name) {
        fail(INVALID_SQL_STATEMENT_NAME,
                name.isEmpty() ? "unnamed prepared statement does not exist" : "prepared statement \"" + name + "\" does not exist");
    }

    private void failMissingPortal(String name) {
        fail(INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
    }

    private void fail(String sqlState, String message) {
        writeError(sqlState, message);
        skippingToSync = true;
    }

    private void writeError(String sqlState, String message) {
        ErrorResponse.error(sqlState, message).encode(out);
    }
}
