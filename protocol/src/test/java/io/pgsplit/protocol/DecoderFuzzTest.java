package io.pgsplit.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.backend.AuthenticationMessage;
import io.pgsplit.protocol.backend.BackendKeyData;
import io.pgsplit.protocol.backend.CommandComplete;
import io.pgsplit.protocol.backend.ErrorResponse;
import io.pgsplit.protocol.backend.NegotiateProtocolVersion;
import io.pgsplit.protocol.backend.NoticeResponse;
import io.pgsplit.protocol.backend.NotificationResponse;
import io.pgsplit.protocol.backend.ParameterStatus;
import io.pgsplit.protocol.backend.ReadyForQuery;
import io.pgsplit.protocol.frontend.BindTarget;
import io.pgsplit.protocol.frontend.Close;
import io.pgsplit.protocol.frontend.Describe;
import io.pgsplit.protocol.frontend.Execute;
import io.pgsplit.protocol.frontend.Parse;
import io.pgsplit.protocol.frontend.PasswordMessage;
import io.pgsplit.protocol.frontend.Query;
import io.pgsplit.protocol.frontend.SaslInitialResponse;
import io.pgsplit.protocol.frontend.SaslResponse;
import io.pgsplit.protocol.startup.CancelRequest;
import io.pgsplit.protocol.startup.GssEncRequest;
import io.pgsplit.protocol.startup.SslRequest;
import io.pgsplit.protocol.startup.StartupPackets;
import io.pgsplit.testsupport.NettyLeakCheckExtension;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Feeds hostile bytes to every decoder: the only exceptions that may escape are ProtocolExceptions,
 * which the proxy turns into an 08P01 error. Anything else (IndexOutOfBounds, NegativeArraySize, ...)
 * would surface as an internal error or kill a connection handler.
 */
class DecoderFuzzTest {
    private static final List<Named> DECODERS = List.of(
            new Named("Query", Query::decode), new Named("Parse", Parse::decode), new Named("BindTarget", BindTarget::decode),
            new Named("Describe", Describe::decode), new Named("Execute", Execute::decode), new Named("Close", Close::decode),
            new Named("PasswordMessage", PasswordMessage::decode), new Named("SaslInitialResponse", SaslInitialResponse::decode),
            new Named("SaslResponse", SaslResponse::decode), new Named("Authentication", AuthenticationMessage::decode),
            new Named("BackendKeyData", BackendKeyData::decode), new Named("ParameterStatus", ParameterStatus::decode),
            new Named("ReadyForQuery", ReadyForQuery::decode), new Named("ErrorResponse", ErrorResponse::decode),
            new Named("NoticeResponse", NoticeResponse::decode), new Named("NegotiateProtocolVersion", NegotiateProtocolVersion::decode),
            new Named("CommandComplete", CommandComplete::decode), new Named("NotificationResponse", NotificationResponse::decode));

    @Property(tries = 10_000)
    void messageDecodersOnlyThrowProtocolExceptions(@ForAll("decoders") Named decoder, @ForAll("wireBytes") byte[] body) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(body);
        try {
            decoder.decode().apply(buf);
        } catch (ProtocolException expected) {
            assertThat(expected.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        } finally {
            buf.release();
        }
    }

    @Property(tries = 2_000)
    void startupDecodeOnlyThrowsProtocolExceptions(@ForAll("wireBytes") byte[] packet) {
        decodeStartup(packet);
    }

    @Property(tries = 2_000)
    void startupDecodeOfCorrectlyLengthPrefixedPacketsOnlyThrowsProtocolExceptions(
            @ForAll("startupCodes") int code, @ForAll("wireBytes") byte[] rest) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeInt(8 + rest.length).writeInt(code).writeBytes(rest);
        try {
            StartupPackets.decode(buf);
        } catch (ProtocolException expected) {
            // refusing is fine; crashing is not
        } finally {
            buf.release();
        }
    }

    @Property(tries = 2_000)
    void framingWalksArbitraryBytesOnlyThrowingProtocolExceptions(@ForAll("wireBytes") byte[] stream, @ForAll @IntRange(max = 128) int limit) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(stream);
        try {
            int index = 0;
            for (int length; (length = MessageFraming.completeMessageLength(buf, index, limit)) > 0; index += length) {
                assertThat(length).isBetween(MessageFraming.HEADER_LENGTH, limit);
                MessageFraming.body(buf.slice(index, length));
            }
        } catch (ProtocolException expected) {
            // refusing is fine; crashing is not
        } finally {
            buf.release();
        }
        decodeStartupFraming(stream);
    }

    @AfterContainer
    static void noByteBufLeaked() throws InterruptedException {
        // jqwik does not run JUnit Jupiter extensions, so check for leaks the way NettyLeakCheckExtension does.
        assertThat(NettyLeakCheckExtension.collectLeaks()).isEmpty();
    }

    @Provide
    Arbitrary<Named> decoders() {
        return Arbitraries.of(DECODERS);
    }

    /** Startup codes that reach every branch, plus arbitrary ones. */
    @Provide
    Arbitrary<Integer> startupCodes() {
        return Arbitraries.oneOf(
                Arbitraries.of(SslRequest.CODE, GssEncRequest.CODE, CancelRequest.CODE, 3 << 16, 3 << 16 | 2, 4 << 16, 1234 << 16 | 5681),
                Arbitraries.integers());
    }

    /** Byte arrays rich in NULs, small integers and type letters, so decoders get past their first field. */
    @Provide
    Arbitrary<byte[]> wireBytes() {
        Arbitrary<Byte> interesting = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just((byte) 0)),
                Tuple.of(2, Arbitraries.bytes().between((byte) 0, (byte) 8)),
                Tuple.of(2, Arbitraries.of((byte) 'S', (byte) 'P', (byte) 'I', (byte) 'T', (byte) 'E', (byte) 'a', (byte) -1)),
                Tuple.of(3, Arbitraries.bytes()));
        return interesting.array(byte[].class).ofMaxSize(96);
    }

    private static void decodeStartup(byte[] packet) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(packet);
        try {
            StartupPackets.decode(buf);
        } catch (ProtocolException expected) {
            // refusing is fine; crashing is not
        } finally {
            buf.release();
        }
    }

    private static void decodeStartupFraming(byte[] stream) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(stream);
        try {
            StartupPackets.completePacketLength(buf, 0);
        } catch (ProtocolException expected) {
            // refusing is fine; crashing is not
        } finally {
            buf.release();
        }
    }

    record Named(String name, Function<ByteBuf, ?> decode) {
        @Override
        public String toString() {
            return name;
        }
    }
}
