package io.pgsplit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class NettyLeakCheckExtensionTest {

    @Test
    void detectsABufferThatWasNeverReleased() throws InterruptedException {
        leakOneBuffer();
        assertThat(NettyLeakCheckExtension.collectLeaks()).anyMatch(report -> report.startsWith("LEAK"));
    }

    @Test
    void reportsNothingWhenEveryBufferIsReleased() throws InterruptedException {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        buf.writeInt(42);
        buf.release();
        assertThat(NettyLeakCheckExtension.collectLeaks()).isEmpty();
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        leaked.writeLong(7);
        // dropped on purpose
    }
}
