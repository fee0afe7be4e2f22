package io.pgsplit.it.failover;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The chunks one direction of a relayed connection still has to pass on, each at its due time and never before an
 * earlier chunk, so added latency delays bytes without reordering them. Lives on the connection's event loop.
 */
final class DelayedWrites {
  private record Chunk(long dueNanos, ByteBuf bytes) {}

  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private final Supplier<Channel> target;

  DelayedWrites(Supplier<Channel> target) {
    this.target = target;
  }

  /** Takes ownership of {@code bytes}; without a delay and with nothing queued, they go out at once. */
  void offer(ChannelHandlerContext source, ByteBuf bytes, long delayNanos) {
    if (delayNanos == 0 && queue.isEmpty()) {
      write(source, bytes);
      return;
    }
    long due = System.nanoTime() + delayNanos;
    Chunk last = queue.peekLast();
    if (last != null && last.dueNanos() > due) {
      due = last.dueNanos(); // the latency was lowered meanwhile: still no overtaking
    }
    queue.add(new Chunk(due, bytes));
    if (queue.size() == 1) {
      scheduleDrain(source);
    }
  }

  /** Drops what is still queued; called when the connection closes. */
  void release() {
    Chunk chunk;
    while ((chunk = queue.poll()) != null) {
      chunk.bytes().release();
    }
  }

  private void drain(ChannelHandlerContext source) {
    long now = System.nanoTime();
    while (!queue.isEmpty() && queue.peek().dueNanos() <= now) {
      write(source, queue.poll().bytes());
    }
    if (!queue.isEmpty()) {
      scheduleDrain(source);
    }
  }

  private void scheduleDrain(ChannelHandlerContext source) {
    long delay = Math.max(0, queue.peek().dueNanos() - System.nanoTime());
    source.executor().schedule(() -> drain(source), delay, TimeUnit.NANOSECONDS);
  }

  /**
   * A write to a closed channel fails and Netty releases the buffer. Reading from the source stops while the target
   * cannot keep up; {@link RelayHandler} resumes it.
   */
  private void write(ChannelHandlerContext source, ByteBuf bytes) {
    Channel channel = target.get();
    channel.writeAndFlush(bytes, channel.voidPromise());
    if (!channel.isWritable()) {
      source.channel().config().setAutoRead(false);
    }
  }
}
