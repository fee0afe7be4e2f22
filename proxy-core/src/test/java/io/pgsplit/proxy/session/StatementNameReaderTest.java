package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatementNameReaderTest {
    private final StatementNameReader reader = new StatementNameReader();

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void aNameReadAgainIsTheSameString() {
        ByteBuf first = bytes("xP_1\0rest");
        ByteBuf second = bytes("P_1\0");
        try {
            String name = reader.read(first, 1, first.writerIndex());
            assertThat(name).isEqualTo("P_1");
            assertThat(reader.read(second, 0, second.writerIndex())).isSameAs(name);
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void namesOfEqualLengthAreToldApartAndTheUnnamedStatementIsEmpty() {
        ByteBuf buf = bytes("s1\0s2\0\0");
        try {
            assertThat(reader.read(buf, 0, buf.writerIndex())).isEqualTo("s1");
            assertThat(reader.read(buf, 3, buf.writerIndex())).isEqualTo("s2");
            assertThat(reader.read(buf, 0, buf.writerIndex())).isEqualTo("s1");
            assertThat(reader.read(buf, 6, buf.writerIndex())).isEmpty();
        } finally {
            buf.release();
        }
    }

    @Test
    void decodesUtf8AndManyNamesAsTheProtocolDecoderDoes() {
        for (int i = 0; i < 20; i++) {
            ByteBuf buf = bytes("stmt_é" + i + "\0");
            try {
                assertThat(reader.read(buf, 0, buf.writerIndex())).isEqualTo("stmt_é" + i);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void aNameWithoutTerminatorInsideTheMessageIsMalformed() {
        ByteBuf buf = bytes("abc\0");
        try {
            assertThatThrownBy(() -> reader.read(buf, 0, 3)).isInstanceOf(MalformedMessageException.class);
        } finally {
            buf.release();
        }
    }
}
