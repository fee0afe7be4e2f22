package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.proxy.commands.ServerReplies;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The client's side of a session without a channel: what the session writes is kept until flushed and read back
 * as one line per message; tasks it hands to "the loop" run when the test says, and so do its timers, on a clock
 * the test moves.
 */
final class FakeClient implements SessionIo {
    private record Timer(long dueNanos, Runnable task, boolean[] cancelled) {
    }

    private final List<ByteBuf> unflushed = new ArrayList<>();
    private final List<ByteBuf> flushed = new ArrayList<>();
    /** Filled from other threads too: a parse or a timer completes there and hands its continuation to the loop. */
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Timer> timers = new ArrayList<>();
    private long nowNanos;
    private boolean reading = true;
    private boolean closed;
    private boolean writable = true;
    private RuntimeException flushFailure;

    @Override
    public ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    @Override
    public void write(ByteBuf messages) {
        unflushed.add(messages);
    }

    @Override
    public void flush() {
        if (flushFailure != null) {
            RuntimeException failure = flushFailure;
            flushFailure = null;
            throw failure;
        }
        flushed.addAll(unflushed);
        unflushed.clear();
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void reading(boolean on) {
        reading = on;
    }

    @Override
    public void close() {
        flush();
        closed = true;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        boolean[] cancelled = {false};
        timers.add(new Timer(nowNanos + delayNanos, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public String peer() {
        return "test-client";
    }

    /** Runs what the session handed to its loop, until nothing is left (bounded: a session that loops fails). */
    void runTasks() {
        for (int run = 0; !tasks.isEmpty(); run++) {
            if (run > 1_000) {
                throw new AssertionError("the session keeps scheduling work on its loop: it never settles");
            }
            tasks.poll().run();
        }
    }

    /** Moves the clock on, firing the timers that come due. */
    void advance(long nanos) {
        nowNanos += nanos;
        for (Iterator<Timer> it = List.copyOf(timers).iterator(); it.hasNext(); ) {
            Timer timer = it.next();
            if (timer.dueNanos() <= nowNanos) {
                timers.remove(timer);
                if (!timer.cancelled()[0]) {
                    timer.task().run();
                }
            }
        }
        runTasks();
    }

    /** Everything flushed to the client since the last call, one line per message. */
    List<String> received() {
        List<String> lines = new ArrayList<>();
        for (ByteBuf messages : flushed) {
            try {
                lines.addAll(ServerReplies.lines(messages));
            } finally {
                messages.release();
            }
        }
        flushed.clear();
        return lines;
    }

    /** Everything flushed to the client since the last call, as bytes: parts of messages included. */
    byte[] receivedBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (ByteBuf messages : flushed) {
            try {
                byte[] part = new byte[messages.readableBytes()];
                messages.readBytes(part);
                bytes.writeBytes(part);
            } finally {
                messages.release();
            }
        }
        flushed.clear();
        return bytes.toByteArray();
    }

    /** Waits (briefly) for work another thread hands to the loop, then runs it. */
    void awaitTask(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (tasks.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        runTasks();
    }

    boolean isReading() {
        return reading;
    }

    boolean isClosed() {
        return closed;
    }

    void writable(boolean writable) {
        this.writable = writable;
    }

    /** The next flush throws, as a bug somewhere below the session would. */
    void failNextFlush(RuntimeException failure) {
        this.flushFailure = failure;
    }

    void release() {
        unflushed.forEach(ByteBuf::release);
        flushed.forEach(ByteBuf::release);
        unflushed.clear();
        flushed.clear();
    }
}
