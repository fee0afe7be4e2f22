package io.pgsplit.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.startup.CancelRequest;
import io.pgsplit.protocol.startup.GssEncRequest;
import io.pgsplit.protocol.startup.SslRequest;
import io.pgsplit.protocol.startup.StartupMessage;
import io.pgsplit.proxy.config.ClientTlsConfig;
import io.pgsplit.proxy.config.TlsIdentity;
import io.pgsplit.proxy.tls.ClientTls;
import io.pgsplit.testsupport.TestCertificates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TlsNegotiationHandlerTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static ClientTls allow;
    private static ClientTls require;

    private final List<ByteBuf> passedOn = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeAll
    static void makeCertificates() {
        TestCertificates ca = TestCertificates.authority("negotiation test CA");
        TestCertificates.Issued server = ca.issueServer("pgsplit", List.of("localhost"), List.of("127.0.0.1"));
        TlsIdentity identity = new TlsIdentity(List.of(server.certificate(), ca.certificate()), server.key());
        allow = ClientTls.of(new ClientTlsConfig(ClientTlsConfig.Mode.ALLOW, Optional.of(identity), List.of(),
                ClientTlsConfig.DEFAULT_PROTOCOLS, List.of()));
        require = ClientTls.of(new ClientTlsConfig(ClientTlsConfig.Mode.REQUIRE, Optional.of(identity), List.of(),
                ClientTlsConfig.DEFAULT_PROTOCOLS, List.of()));
    }

    @AfterEach
    void close() {
        passedOn.forEach(ReferenceCountUtil::release);
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    /** The negotiation handler in front of a stand-in for the startup handler that records what reaches it. */
    private EmbeddedChannel connect(ClientTls tls) {
        channel = new EmbeddedChannel(new TlsNegotiationHandler(tls), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                passedOn.add((ByteBuf) msg);
            }
        });
        return channel;
    }

    @Test
    void sslRequestIsAnsweredSAndAnSslHandlerTakesTheNegotiatorsPlace() {
        connect(allow).writeInbound(new SslRequest().encode(ALLOC));

        ByteBuf reply = channel.readOutbound();
        try {
            assertThat(reply.readableBytes()).isEqualTo(1);
            assertThat((char) reply.getByte(0)).isEqualTo('S');
        } finally {
            reply.release();
        }
        assertThat(channel.pipeline().get(SslHandler.class)).isNotNull();
        assertThat(channel.pipeline().get(TlsNegotiationHandler.class)).isNull();
        assertThat(passedOn).isEmpty();
    }

    @Test
    void bytesSentAfterTheSslRequestBeforeTheHandshakeAreRefused() {
        // CVE-2021-23214 / PgBouncer CVE-2021-3935: a man in the middle appends plaintext to the SSLRequest.
        ByteBuf injected = Unpooled.wrappedBuffer(new SslRequest().encode(ALLOC),
                StartupMessage.v3(Map.of("user", "app")).encode(ALLOC));
        connect(allow).writeInbound(injected);

        ErrorResponse error = nextError();
        assertThat(error.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        assertThat(error.message()).isEqualTo("received unencrypted data after SSL request");
        assertThat(channel.outboundMessages()).as("no 'S' was sent").isEmpty();
        assertThat(channel.isOpen()).isFalse();
        assertThat(passedOn).isEmpty();
    }

    @Test
    void aPlaintextStartupUnderRequireGetsFatal28000SayingTlsIsRequired() {
        connect(require).writeInbound(StartupMessage.v3(Map.of("user", "app")).encode(ALLOC));

        ErrorResponse error = nextError();
        assertThat(error.severity()).isEqualTo("FATAL");
        assertThat(error.sqlState()).isEqualTo(SqlState.INVALID_AUTHORIZATION_SPECIFICATION);
        assertThat(error.message()).contains("TLS is required");
        assertThat(channel.isOpen()).isFalse();
        assertThat(passedOn).isEmpty();
    }

    @Test
    void aPlaintextStartupUnderAllowGoesOnUntouched() {
        connect(allow).writeInbound(StartupMessage.v3(Map.of("user", "app")).encode(ALLOC));

        assertThat(passedOn).hasSize(1);
        assertThat(passedOn.get(0).getInt(4)).isEqualTo(3 << 16);
        assertThat(channel.pipeline().get(TlsNegotiationHandler.class)).isNull();
    }

    @Test
    void aGssEncRequestGoesOnAndTheNegotiatorStaysForTheNextPacket() {
        connect(require).writeInbound(Unpooled.buffer(8).writeInt(GssEncRequest.LENGTH).writeInt(GssEncRequest.CODE));

        assertThat(passedOn).hasSize(1);
        assertThat(passedOn.get(0).getInt(4)).isEqualTo(GssEncRequest.CODE);
        assertThat(channel.pipeline().get(TlsNegotiationHandler.class)).isNotNull();
    }

    @Test
    void aCancelRequestGoesOnEvenUnderRequire() {
        connect(require).writeInbound(new CancelRequest(1, 2).encode(ALLOC));

        assertThat(passedOn).hasSize(1);
        assertThat(passedOn.get(0).getInt(4)).isEqualTo(CancelRequest.CODE);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aClientHelloStraightAwayIsDirectTls() {
        // A truncated ClientHello: the TLS engine, not the startup handler, must be the one to reject it.
        ByteBuf clientHello = Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00});
        connect(require);

        assertThatThrownBy(() -> channel.writeInbound(clientHello)).hasCauseInstanceOf(SSLHandshakeException.class);
        assertThat(channel.pipeline().get(TlsNegotiationHandler.class)).isNull();
        assertThat(passedOn).as("nothing went past the TLS handler").isEmpty();
    }

    private ErrorResponse nextError() {
        ByteBuf reply = channel.readOutbound();
        assertThat(reply).as("a reply").isNotNull();
        try {
            assertThat(reply.getByte(reply.readerIndex())).isEqualTo(MessageTypes.ERROR_RESPONSE);
            return ErrorResponse.decode(MessageFraming.body(reply));
        } finally {
            reply.release();
        }
    }
}
