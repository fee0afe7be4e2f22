package io.pgsplit.proxy.session;

import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.TransactionStatus;

/** Messages the proxy itself writes to a client, shaped like PostgreSQL's own. Written unflushed. */
final class ClientReplies {
    private final SessionIo io;
    private boolean pending;

    ClientReplies(SessionIo io) {
        this.io = io;
    }

    void error(String sqlState, String message) {
        write(ErrorResponse.error(sqlState, message));
    }

    void fatal(String sqlState, String message) {
        write(ErrorResponse.fatal(sqlState, message));
    }

    private void write(ErrorResponse error) {
        io.write(error.encode(io.alloc()));
        pending = true;
    }

    void readyForQuery(TransactionStatus status) {
        io.write(new ReadyForQuery(status).encode(io.alloc()));
        pending = true;
    }

    /** Something else was written to the client (a proxy-built answer): flush it with the rest. */
    void written() {
        pending = true;
    }

    void flush() {
        if (pending) {
            pending = false;
            io.flush();
        }
    }
}
