package io.pgsplit.it.failover;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Reads one side of a {@link RelayConnection} and passes the bytes to the other side as the relay's fault says. */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private final FaultyRelay relay;
  private final RelayConnection connection;
  private final RelayConnection.Side side;
  private final DelayedWrites writes;

  RelayHandler(FaultyRelay relay, RelayConnection connection, RelayConnection.Side side) {
    this.relay = relay;
    this.connection = connection;
    this.side = side;
    this.writes = new DelayedWrites(() -> connection.channel(side.other()));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf chunk = (ByteBuf) msg;
    RelayFault fault = relay.fault();
    if (fault instanceof RelayFault.BlackHole) {
      chunk.release();
      return;
    }
    if (side == RelayConnection.Side.SERVER && fault instanceof RelayFault.ResetAfter resetAfter
        && connection.exceedsResetBudget(resetAfter, chunk.readableBytes())) {
      chunk.release();
      connection.reset();
      return;
    }
    writes.offer(ctx, chunk, fault instanceof RelayFault.Latency latency ? latency.delayNanos() : 0);
  }

  /** This side can take bytes again: resume reading from the side that writes into it. */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Channel source = connection.channel(side.other());
    if (ctx.channel().isWritable() && source != null) {
      source.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** Chunks still delayed for the other side are dropped, as a closing network path would lose them. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    writes.release();
    connection.closed(side);
    ctx.fireChannelInactive();
  }

  /** Resets and broken pipes are what this relay is for; the channel just closes. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
