package io.pgsplit.proxy.netty;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Optional;

/**
 * One Netty transport: the I/O handler its loops run and the channel classes that fit those loops. A loop
 * and a channel of different transports cannot work together, so everything that opens a channel on an
 * existing loop asks {@link #of(EventLoop)} rather than assuming one.
 */
public enum Transport {
    IO_URING("io_uring", IoUringIoHandler.class, IoUringServerSocketChannel.class, IoUringSocketChannel.class) {
        @Override
        public Optional<Throwable> unavailabilityCause() {
            return unavailable(IoUring.isAvailable(), IoUring.unavailabilityCause());
        }

        @Override
        IoHandlerFactory ioHandlerFactory() {
            return IoUringIoHandler.newFactory();
        }
    },
    EPOLL("epoll", EpollIoHandler.class, EpollServerSocketChannel.class, EpollSocketChannel.class) {
        @Override
        public Optional<Throwable> unavailabilityCause() {
            return unavailable(Epoll.isAvailable(), Epoll.unavailabilityCause());
        }

        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }
    },
    NIO("nio", NioIoHandler.class, NioServerSocketChannel.class, NioSocketChannel.class) {
        @Override
        public Optional<Throwable> unavailabilityCause() {
            return Optional.empty(); // the JDK's own: everywhere
        }

        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }
    };

    private final String configName;
    private final Class<? extends IoHandler> handlerType;
    private final Class<? extends ServerSocketChannel> serverChannel;
    private final Class<? extends SocketChannel> socketChannel;

    Transport(String configName, Class<? extends IoHandler> handlerType,
              Class<? extends ServerSocketChannel> serverChannel, Class<? extends SocketChannel> socketChannel) {
        this.configName = configName;
        this.handlerType = handlerType;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    /** Empty where this transport works here; else why not (no native library, a kernel without it). */
    public abstract Optional<Throwable> unavailabilityCause();

    abstract IoHandlerFactory ioHandlerFactory();

    private static Optional<Throwable> unavailable(boolean available, Throwable cause) {
        if (available) {
            return Optional.empty();
        }
        return Optional.of(cause != null ? cause : new UnsupportedOperationException("no reason given"));
    }

    /** As in YAML and in the {@code transport} label. */
    public String configName() {
        return configName;
    }

    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), ioHandlerFactory());
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    /** The transport whose I/O handler runs {@code loop}, so that a channel opened on it fits. */
    public static Transport of(EventLoop loop) {
        if (loop instanceof IoEventLoop ioLoop) {
            for (Transport transport : values()) {
                if (ioLoop.isIoType(transport.handlerType)) {
                    return transport;
                }
            }
        }
        throw new IllegalArgumentException("not a socket transport's event loop: " + loop);
    }
}
