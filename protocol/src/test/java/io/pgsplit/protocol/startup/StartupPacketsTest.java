package io.pgsplit.protocol.startup;

import static io.pgsplit.protocol.WireAssertions.NUL;
import static io.pgsplit.protocol.WireAssertions.assertEncodes;
import static io.pgsplit.protocol.WireAssertions.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.FrameTooLargeException;
import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.SqlState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupPacketsTest {
    private static final int V3_0 = 196608;
    /** user=alice database=shop application_name=psql: 8 + 5+6 + 9+5 + 17+5 + 1 = 56 bytes. */
    private static final byte[] STARTUP = wire(56, V3_0, "user", NUL, "alice", NUL, "database", NUL, "shop", NUL,
            "application_name", NUL, "psql", NUL, NUL);

    @Test
    void decodesSslRequest() {
        byte[] packet = wire(8, 80877103);
        assertThat(decode(packet)).isEqualTo(new SslRequest());
        assertEncodes(new SslRequest(), packet);
    }

    @Test
    void decodesGssEncRequest() {
        assertThat(decode(wire(8, 80877104))).isEqualTo(new GssEncRequest());
    }

    @Test
    void decodesAndEncodesCancelRequest() {
        byte[] packet = wire(16, 80877102, 4242, 0x7F00FF01);
        assertThat(decode(packet)).isEqualTo(new CancelRequest(4242, 0x7F00FF01));
        assertEncodes(new CancelRequest(4242, 0x7F00FF01), packet);
    }

    @Test
    void decodesStartupMessageParametersInWireOrder() {
        StartupMessage message = (StartupMessage) decode(STARTUP);
        assertThat(message.majorVersion()).isEqualTo(3);
        assertThat(message.minorVersion()).isZero();
        assertThat(message.parameters()).containsExactly(
                Map.entry("user", "alice"), Map.entry("database", "shop"), Map.entry("application_name", "psql"));
        assertThat(message.user()).isEqualTo("alice");
        assertThat(message.database()).isEqualTo("shop");
    }

    @Test
    void encodesAV3StartupMessageWithParametersInInsertionOrder() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", "alice");
        parameters.put("database", "shop");
        parameters.put("application_name", "psql");
        assertEncodes(StartupMessage.v3(parameters), STARTUP);
    }

    @Test
    void databaseDefaultsToTheUserWhenAbsentOrEmpty() {
        assertThat(StartupMessage.v3(Map.of("user", "bob")).database()).isEqualTo("bob");
        assertThat(StartupMessage.v3(Map.of("user", "bob", "database", "")).database()).isEqualTo("bob");
        assertThat(StartupMessage.v3(Map.of()).user()).isNull();
    }

    @Test
    void listsProtocolExtensionOptions() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", "alice");
        parameters.put("_pq_.compression", "on");
        assertThat(StartupMessage.v3(parameters).protocolOptions()).containsExactly("_pq_.compression");
    }

    @Test
    void parametersAreUnmodifiable() {
        StartupMessage message = (StartupMessage) decode(STARTUP);
        assertThatThrownBy(() -> message.parameters().put("user", "mallory")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingFinalTerminatorIsMalformed() {
        assertMalformed(wire(55, V3_0, "user", NUL, "alice", NUL, "database", NUL, "shop", NUL,
                "application_name", NUL, "psql", NUL), "terminator");
    }

    @Test
    void parameterWithoutValueIsMalformed() {
        assertMalformed(wire(13, V3_0, "user", NUL), "terminator");
    }

    @Test
    void bytesAfterTheTerminatorAreMalformed() {
        assertMalformed(wire(14, V3_0, "a", NUL, "b", NUL, NUL, 'x'), "expected terminator as last byte");
    }

    @Test
    void versionWithoutParameterListIsMalformed() {
        assertMalformed(wire(8, V3_0), "terminator");
    }

    @Test
    void returnsProtocol32WithItsVersion() {
        StartupMessage message = (StartupMessage) decode(wire(18, 3 << 16 | 2, "user", NUL, "bob", NUL, NUL));
        assertThat(message.majorVersion()).isEqualTo(3);
        assertThat(message.minorVersion()).isEqualTo(2);
        assertThat(message.user()).isEqualTo("bob");
    }

    @Test
    void returnsProtocol4WithItsVersionWithoutParsingItsUnknownLayout() {
        StartupMessage message = (StartupMessage) decode(wire(11, 4 << 16, "xyz"));
        assertThat(message.majorVersion()).isEqualTo(4);
        assertThat(message.minorVersion()).isZero();
        assertThat(message.parameters()).isEmpty();
    }

    @Test
    void unknownSpecialRequestCodeIsMalformed() {
        assertMalformed(wire(8, 1234 << 16 | 5681), "unsupported startup request code");
    }

    @Test
    void specialRequestsWithTheWrongLengthAreMalformed() {
        assertMalformed(wire(12, 80877103, 0), "invalid length 12 of SSLRequest");
        assertMalformed(wire(12, 80877102, 1), "invalid length 12 of CancelRequest");
    }

    @Test
    void lengthFieldDisagreeingWithThePacketIsMalformed() {
        assertMalformed(wire(9, 80877103), "does not match");
    }

    @Test
    void packetShorterThanEightBytesIsMalformed() {
        assertMalformed(wire(7, (short) 0, 'x'), "too short");
    }

    @Test
    void framesAPacketOnlyOnceItsLastByteArrives() {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
        try {
            for (int i = 0; i < STARTUP.length - 1; i++) {
                buf.writeByte(STARTUP[i]);
                assertThat(StartupPackets.completePacketLength(buf, 0)).as("after %d bytes", i + 1).isEqualTo(-1);
            }
            buf.writeByte(STARTUP[STARTUP.length - 1]);
            assertThat(StartupPackets.completePacketLength(buf, 0)).isEqualTo(STARTUP.length);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void framingRejectsALengthBelowEight() {
        assertThatThrownBy(() -> completePacketLength(wire(7))).isInstanceOf(MalformedMessageException.class)
                .extracting(e -> ((MalformedMessageException) e).sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
    }

    @Test
    void framingRejectsPacketsOverTenThousandBytesFromTheLengthAlone() {
        assertThat(completePacketLength(wire(10_000))).isEqualTo(-1);
        assertThatThrownBy(() -> completePacketLength(wire(10_001))).isInstanceOf(FrameTooLargeException.class);
    }

    private static StartupPacket decode(byte[] packet) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(packet);
        try {
            return StartupPackets.decode(buf);
        } finally {
            buf.release();
        }
    }

    private static int completePacketLength(byte[] bytes) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(bytes);
        try {
            return StartupPackets.completePacketLength(buf, 0);
        } finally {
            buf.release();
        }
    }

    private static void assertMalformed(byte[] packet, String reason) {
        assertThatThrownBy(() -> decode(packet)).isInstanceOf(MalformedMessageException.class).hasMessageContaining(reason);
    }
}
