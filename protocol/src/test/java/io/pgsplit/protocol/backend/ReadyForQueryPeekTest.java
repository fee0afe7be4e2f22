package io.pgsplit.protocol.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.MalformedMessageException;
import org.junit.jupiter.api.Test;

/** ReadyForQuery.statusAt reads in place, so it must check the message it reads belongs to it. */
class ReadyForQueryPeekTest {

    @Test
    void aReadyForQueryWithoutItsStatusByteIsMalformedNotTheNextMessagesTypeByte() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {'Z', 0, 0, 0, 4, 'I', 0, 0, 0, 4});
        try {
            assertThatThrownBy(() -> ReadyForQuery.statusAt(buf, 0)).isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("invalid ReadyForQuery length 4");
        } finally {
            buf.release();
        }
    }

    @Test
    void aReadyForQueryLongerThanItsStatusIsMalformed() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {'Z', 0, 0, 0, 6, 'I', 'I'});
        try {
            assertThatThrownBy(() -> ReadyForQuery.statusAt(buf, 0)).isInstanceOf(MalformedMessageException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void aWellFormedOneIsReadInPlace() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {'Z', 0, 0, 0, 5, 'E'});
        try {
            assertThat(ReadyForQuery.statusAt(buf, 0)).isEqualTo(TransactionStatus.FAILED);
        } finally {
            buf.release();
        }
    }
}
