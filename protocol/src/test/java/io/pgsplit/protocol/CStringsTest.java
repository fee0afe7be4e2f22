package io.pgsplit.protocol;

import static io.pgsplit.protocol.WireAssertions.NUL;
import static io.pgsplit.protocol.WireAssertions.assertSameBytes;
import static io.pgsplit.protocol.WireAssertions.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CStringsTest {
    private final ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();

    @AfterEach
    void release() {
        buf.release();
    }

    @Test
    void readsUtf8UpToTheTerminatorAndSkipsIt() {
        buf.writeBytes(wire("caf\u00e9", NUL, "x"));
        assertThat(CStrings.read(buf)).isEqualTo("caf\u00e9");
        assertThat(buf.readerIndex()).isEqualTo(6);
    }

    @Test
    void readsAnEmptyString() {
        buf.writeBytes(wire(NUL));
        assertThat(CStrings.read(buf)).isEmpty();
        assertThat(buf.isReadable()).isFalse();
    }

    @Test
    void missingTerminatorIsMalformedAndLeavesTheReaderIndex() {
        buf.writeBytes(wire("abc"));
        assertThatThrownBy(() -> CStrings.read(buf)).isInstanceOf(MalformedMessageException.class);
        assertThat(buf.readerIndex()).isZero();
    }

    @Test
    void writesUtf8AndATerminatorAndCountsBytesNotChars() {
        CStrings.write(buf, "caf\u00e9");
        assertSameBytes(buf, wire("caf\u00e9", NUL));
        assertThat(CStrings.encodedLength("caf\u00e9")).isEqualTo(6);
    }

    @Test
    void refusesToWriteAnEmbeddedNulThatWouldCutTheFieldShort() {
        assertThatThrownBy(() -> CStrings.write(buf, "a\0b")).isInstanceOf(IllegalArgumentException.class);
    }
}
