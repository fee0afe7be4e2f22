package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * All the session machine sees of its client's connection, and of the event loop it runs on: the
 * thin Netty handler implements it, tests implement it with a recorder. Everything is called on the
 * session's event loop.
 */
public interface SessionIo {

    /** Something scheduled that may be called off. */
    interface Cancellable {
        void cancel();
    }

    ByteBufAllocator alloc();

    /** Writes one or more whole messages to the client, unflushed; takes ownership of {@code messages}. */
    void write(ByteBuf messages);

    void flush();

    /** False while the client's outbound buffer is above its high-water mark. */
    boolean isWritable();

    /** Whether to read from the client (auto-read). */
    void reading(boolean on);

    /** Flushes what was written, then closes the client's connection. */
    void close();

    /** Runs {@code task} later on the session's event loop (from any thread). */
    void execute(Runnable task);

    /** Runs {@code task} on the session's event loop after {@code delayNanos}. */
    Cancellable schedule(Runnable task, long delayNanos);

    /** Who the client is, for log lines. */
    String peer();
}
