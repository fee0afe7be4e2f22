package io.pgsplit.proxy.auth;

import static io.pgsplit.protocol.MessageFraming.HEADER_LENGTH;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.MessageWriter;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.protocol.frontend.Execute;
import io.pgsplit.protocol.frontend.Parse;
import io.pgsplit.protocol.frontend.Sync;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.BackendListener;
import io.pgsplit.proxy.backend.Dispatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the auth_query once on a connection of its own and closes it: Parse/Bind/Execute/Sync with the user name as
 * parameter $1, so no user name can change the query's text. The first row's second column is the secret (NULL:
 * the role has no password). Lives on the connection's event loop; nothing here blocks.
 */
final class AuthQueryConnection implements BackendListener {
    private final CompletableFuture<Optional<String>> result = new CompletableFuture<>();
    private String secret;
    private boolean sawRow;
    private String error;

    /** Sends the query; the future completes with the secret column of the first row, empty when there is none. */
    static CompletableFuture<Optional<String>> run(BackendConnection connection, String query, String user, Duration timeout) {
        AuthQueryConnection listener = new AuthQueryConnection();
        connection.attach(listener);
        ByteBuf request = connection.channel().alloc().buffer();
        new Parse("", query, new int[0]).encode(request);
        writeBind(request, user);
        new Execute("", 2).encode(request);
        Sync.encode(request);
        connection.send(null, null, request, new Dispatch(0, 0, 1, 0, true));
        connection.flush();
        // A server that never answers must not keep the connection (or the client) forever.
        return listener.result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((secret, failure) -> connection.channel().eventLoop().execute(connection::terminate));
    }

    /** Bind of the unnamed portal and statement: one text parameter, text results. */
    private static void writeBind(ByteBuf out, String parameter) {
        int start = MessageWriter.begin(out, MessageTypes.BIND);
        CStrings.write(out, "");
        CStrings.write(out, "");
        out.writeShort(0);
        out.writeShort(1);
        byte[] value = parameter.getBytes(StandardCharsets.UTF_8);
        out.writeInt(value.length);
        out.writeBytes(value);
        out.writeShort(0);
        MessageWriter.finish(out, start);
    }

    @Override
    public void onServerMessages(BackendConnection backend, ByteBuf messages, boolean answer) {
        try {
            while (messages.isReadable()) {
                int index = messages.readerIndex();
                int length = MessageFraming.completeMessageLength(messages, index, Integer.MAX_VALUE);
                ByteBuf body = messages.slice(index + HEADER_LENGTH, length - HEADER_LENGTH);
                byte type = messages.getByte(index);
                if (type == MessageTypes.DATA_ROW && !sawRow) {
                    sawRow = true;
                    secret = column(body, 1);
                } else if (type == MessageTypes.ERROR_RESPONSE) {
                    error = ErrorResponse.decode(body).message();
                }
                messages.skipBytes(length);
            }
        } finally {
            messages.release();
        }
    }

    @Override
    public void onReadyForQuery(BackendConnection backend, TransactionStatus status, boolean failed) {
        if (error != null) {
            result.completeExceptionally(new IllegalStateException("the auth_query failed: " + error));
        } else {
            result.complete(Optional.ofNullable(secret));
        }
    }

    @Override
    public void onServerReadComplete(BackendConnection backend) {
        // nothing to flush
    }

    @Override
    public void onBackendClosed(BackendConnection backend, String reason) {
        result.completeExceptionally(new IllegalStateException("the auth_query connection closed: " + reason));
    }

    /** The text of column {@code column} of a DataRow, or null for NULL or a row that is too short. */
    private static String column(ByteBuf row, int column) {
        int count = row.getShort(0);
        int offset = 2;
        for (int i = 0; i < count; i++) {
            int length = row.getInt(offset);
            offset += 4;
            if (i == column) {
                return length < 0 ? null : row.toString(offset, length, StandardCharsets.UTF_8);
            }
            offset += Math.max(length, 0);
        }
        return null;
    }
}
