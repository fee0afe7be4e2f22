package io.pgsplit.proxy.session;

import io.netty.channel.Channel;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.backend.TransactionStatus;

/** Messages the proxy itself writes to a client, shaped like PostgreSQL's own. Written unflushed. */
final class ClientReplies {
    private final Channel client;
    private boolean pending;

    ClientReplies(Channel client) {
        this.client = client;
    }

    void error(String sqlState, String message) {
        write(ErrorResponse.error(sqlState, message));
    }

    void fatal(String sqlState, String message) {
        write(ErrorResponse.fatal(sqlState, message));
    }

    private void write(ErrorResponse error) {
        client.write(error.encode(client.alloc()), client.voidPromise());
        pending = true;
    }

    void readyForQuery(TransactionStatus status) {
        client.write(new ReadyForQuery(status).encode(client.alloc()), client.voidPromise());
        pending = true;
    }

    /** Something else was written to the client (a proxy-built answer): flush it with the rest. */
    void written() {
        pending = true;
    }

    void flush() {
        if (pending) {
            pending = false;
            client.flush();
        }
    }
}
