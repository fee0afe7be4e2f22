package io.pgsplit.protocol;

import static io.pgsplit.protocol.WireAssertions.NUL;
import static io.pgsplit.protocol.WireAssertions.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageFramingTest {
    private static final byte[] QUERY = wire('Q', 13, "SELECT 1", NUL);
    private static final int LIMIT = 1024;

    private final ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();

    @AfterEach
    void release() {
        buf.release();
    }

    @Test
    void reportsIncompleteUntilTheLastByteOfAFragmentedMessageArrives() {
        for (int i = 0; i < QUERY.length - 1; i++) {
            buf.writeByte(QUERY[i]);
            assertThat(MessageFraming.completeMessageLength(buf, 0, LIMIT)).as("after %d bytes", i + 1).isEqualTo(-1);
        }
        buf.writeByte(QUERY[QUERY.length - 1]);
        assertThat(MessageFraming.completeMessageLength(buf, 0, LIMIT)).isEqualTo(QUERY.length);
    }

    @Test
    void walksSeveralMessagesInOneBufferByIndex() {
        buf.writeBytes(wire('S', 4)).writeBytes(QUERY).writeBytes(wire('X', 4)).writeBytes(wire('Q', 13, "SEL"));
        int index = 0;
        StringBuilder types = new StringBuilder();
        for (int length; (length = MessageFraming.completeMessageLength(buf, index, LIMIT)) > 0; index += length) {
            types.append((char) MessageFraming.type(buf, index));
        }
        assertThat(types).hasToString("SQX");
        assertThat(index).as("start of the incomplete trailing message").isEqualTo(5 + 14 + 5);
    }

    @Test
    void neverMovesTheBufferIndices() {
        buf.writeBytes(QUERY);
        MessageFraming.completeMessageLength(buf, 0, LIMIT);
        assertThat(buf.readerIndex()).isZero();
        assertThat(buf.writerIndex()).isEqualTo(QUERY.length);
    }

    @Test
    void rejectsALengthFieldBelowFourAsAProtocolViolation() {
        buf.writeBytes(wire('Q', 3));
        assertThatThrownBy(() -> MessageFraming.completeMessageLength(buf, 0, LIMIT))
                .isInstanceOf(MalformedMessageException.class)
                .extracting(e -> ((ProtocolException) e).sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
    }

    @Test
    void rejectsANegativeLengthField() {
        buf.writeBytes(wire('Q', 0xFFFFFFFF));
        assertThatThrownBy(() -> MessageFraming.completeMessageLength(buf, 0, LIMIT)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void rejectsAnOversizedMessageAsSoonAsItsHeaderArrives() {
        buf.writeBytes(wire('Q', LIMIT));
        assertThatThrownBy(() -> MessageFraming.completeMessageLength(buf, 0, LIMIT))
                .isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
                    assertThat(e.length()).isEqualTo(LIMIT + 1);
                    assertThat(e.limit()).isEqualTo(LIMIT);
                    assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
                });
    }

    @Test
    void acceptsAMessageExactlyAtTheLimit() {
        buf.writeBytes(wire('d', LIMIT - 1)).writeZero(LIMIT - 5);
        assertThat(MessageFraming.completeMessageLength(buf, 0, LIMIT)).isEqualTo(LIMIT);
        assertThatThrownBy(() -> MessageFraming.completeMessageLength(buf, 0, LIMIT - 1)).isInstanceOf(FrameTooLargeException.class);
    }

    @Test
    void comparesLengthsNearIntegerMaxWithoutOverflow() {
        buf.writeBytes(wire('d', Integer.MAX_VALUE - 1));
        assertThat(MessageFraming.completeMessageLength(buf, 0, Integer.MAX_VALUE)).isEqualTo(-1);
        buf.setInt(1, Integer.MAX_VALUE);
        assertThatThrownBy(() -> MessageFraming.completeMessageLength(buf, 0, Integer.MAX_VALUE))
                .isInstanceOfSatisfying(FrameTooLargeException.class, e -> assertThat(e.length()).isEqualTo(1L << 31));
    }

    @Test
    void framesAMessageThatStartsAfterTheReaderIndex() {
        buf.writeBytes(wire('S', 4)).writeBytes(QUERY);
        buf.readerIndex(2);
        assertThat(MessageFraming.completeMessageLength(buf, 5, LIMIT)).isEqualTo(QUERY.length);
        assertThat(MessageFraming.type(buf, 5)).isEqualTo(MessageTypes.QUERY);
    }

    @Test
    void bodyIsAZeroCopySliceAfterTheHeader() {
        buf.writeBytes(wire('S', 4)).writeBytes(QUERY);
        ByteBuf message = buf.slice(5, QUERY.length);
        ByteBuf body = MessageFraming.body(message);
        assertThat(body.readableBytes()).isEqualTo(9);
        assertThat(CStrings.read(body)).isEqualTo("SELECT 1");
        buf.setByte(5 + 5, 's');
        assertThat(body.getByte(0)).as("shares memory with the received buffer").isEqualTo((byte) 's');
        assertThat(buf.refCnt()).as("not retained").isEqualTo(1);
    }

    @Test
    void bodyOfABufferShorterThanAHeaderIsMalformed() {
        buf.writeBytes(wire('S', (short) 0));
        assertThatThrownBy(() -> MessageFraming.body(buf)).isInstanceOf(MalformedMessageException.class);
    }
}
