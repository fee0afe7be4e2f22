package io.pgsplit.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.pgsplit.protocol.startup.SslRequest;
import io.pgsplit.proxy.config.ServerConfig;
import io.pgsplit.proxy.config.ServerTlsConfig;
import io.pgsplit.proxy.tls.ServerTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SSLRequest step of a server connection, before the StartupMessage, as libpq's sslmode prescribes. */
class ServerTlsNegotiationTest {
    private final List<Throwable> failures = new ArrayList<>();
    private boolean activeBehind;
    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel connect(ServerTlsConfig.Mode mode) {
        ServerTls tls = ServerTls.of(new ServerTlsConfig(mode, List.of(), Optional.empty()),
                List.of(new ServerConfig("pg1", "127.0.0.1", 5432)));
        channel = new EmbeddedChannel(new ServerTlsNegotiation(tls, "pg1", "127.0.0.1", 5432), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                activeBehind = true;
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failures.add(cause);
            }
        });
        return channel;
    }

    private void assertSslRequestSent() {
        ByteBuf request = channel.readOutbound();
        try {
            assertThat(request.readableBytes()).isEqualTo(SslRequest.LENGTH);
            assertThat(request.getInt(4)).isEqualTo(SslRequest.CODE);
        } finally {
            request.release();
        }
        assertThat(activeBehind).as("no StartupMessage before the answer").isFalse();
    }

    @Test
    void preferCarriesOnInPlaintextWhenTheServerSaysN() {
        connect(ServerTlsConfig.Mode.PREFER);
        assertSslRequestSent();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'N'}));

        assertThat(activeBehind).isTrue();
        assertThat(channel.pipeline().get(ServerTlsNegotiation.class)).isNull();
        assertThat(failures).isEmpty();
    }

    @Test
    void requireRefusesAServerThatSaysN() {
        connect(ServerTlsConfig.Mode.REQUIRE);
        assertSslRequestSent();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'N'}));

        assertThat(activeBehind).isFalse();
        assertThat(failures).singleElement().satisfies(failure ->
                assertThat(failure).isInstanceOf(BackendStartupException.class).hasMessageContaining("does not accept TLS")
                        .hasMessageContaining("server_tls.mode is require"));
    }

    @Test
    void bytesAfterTheServersSAreRefusedAsUnencrypted() {
        // CVE-2021-23222: a man in the middle appends a forged reply to the 'S' before the handshake.
        connect(ServerTlsConfig.Mode.REQUIRE);
        assertSslRequestSent();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'S', 'R', 0, 0, 0, 8, 0, 0, 0, 0}));

        assertThat(channel.pipeline().get(SslHandler.class)).isNull();
        assertThat(failures).singleElement().satisfies(failure ->
                assertThat(failure).hasMessageContaining("sent unencrypted data after its SSL response"));
    }

    @Test
    void anSStartsTheHandshakeAheadOfThisHandler() {
        connect(ServerTlsConfig.Mode.REQUIRE);
        assertSslRequestSent();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'S'}));

        assertThat(channel.pipeline().names()).containsSubsequence("tls", channel.pipeline().context(ServerTlsNegotiation.class).name());
        ByteBuf clientHello = channel.readOutbound();
        try {
            assertThat(clientHello.getByte(0)).as("a TLS handshake record").isEqualTo((byte) 0x16);
        } finally {
            clientHello.release();
        }
        assertThat(activeBehind).as("the StartupMessage waits for the handshake").isFalse();
    }
}
