package io.pgsplit.proxy.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InboundBufferTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final InboundBuffer inbound = new InboundBuffer();

    @AfterEach
    void releaseInbound() {
        inbound.release();
    }

    /** A buffer holding exactly {@code text}, with no spare capacity, as a socket read may deliver it. */
    private static ByteBuf chunk(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = ALLOC.buffer(bytes.length);
        buf.writeBytes(bytes);
        return buf;
    }

    private static String text(ByteBuf buf) {
        return buf.toString(buf.readerIndex(), buf.readableBytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void appendedChunksConcatenate() {
        inbound.append(ALLOC, chunk("Parse"));
        inbound.append(ALLOC, chunk("Bind"));
        inbound.append(ALLOC, chunk("Sync"));

        assertThat(inbound.readableBytes()).isEqualTo(13);
        assertThat(text(inbound.buffer())).isEqualTo("ParseBindSync");
    }

    @Test
    void firstChunkIsAdoptedWithoutCopy() {
        ByteBuf first = chunk("whole messages");

        inbound.append(ALLOC, first);

        assertThat(inbound.buffer()).isSameAs(first);
    }

    @Test
    void takingEverythingHandsTheBufferOverAndStartsAfresh() {
        ByteBuf read = chunk("helloworld");
        inbound.append(ALLOC, read);
        inbound.skip(5);

        ByteBuf taken = inbound.takeSlice(5);
        try {
            assertThat(taken).isSameAs(read);
            assertThat(text(taken)).isEqualTo("world");
            assertThat(taken.refCnt()).isEqualTo(1);
            assertThat(inbound.readableBytes()).isZero();
            inbound.append(ALLOC, chunk("next"));
            assertThat(text(inbound.buffer())).isEqualTo("next");
        } finally {
            taken.release();
        }
    }

    @Test
    void takeSliceReturnsTheNextBytesAndConsumesThem() {
        inbound.append(ALLOC, chunk("helloworld"));

        ByteBuf slice = inbound.takeSlice(5);
        try {
            assertThat(text(slice)).isEqualTo("hello");
            assertThat(inbound.readableBytes()).isEqualTo(5);
            assertThat(text(inbound.buffer())).isEqualTo("world");
        } finally {
            slice.release();
        }
    }

    @Test
    void sliceKeepsItsBytesWhileTheBufferGrowsWithMoreAppends() {
        inbound.append(ALLOC, chunk("hello world"));
        ByteBuf slice = inbound.takeSlice(5);
        try {
            for (int i = 0; i < 100; i++) {
                inbound.append(ALLOC, chunk("0123456789abcdefghijklmnopqrstuvwxyz"));
            }

            assertThat(text(slice)).isEqualTo("hello");
            assertThat(inbound.readableBytes()).isEqualTo(6 + 100 * 36);
            assertThat(text(inbound.buffer())).startsWith(" world0123");
        } finally {
            slice.release();
        }
    }

    @Test
    void sliceHeldWhileAppendingForcesACopyInsteadOfAnInPlaceDiscard() {
        ByteBuf original = chunk("abcdef");
        inbound.append(ALLOC, original);
        ByteBuf slice = inbound.takeSlice(3);
        try {
            inbound.append(ALLOC, chunk("ghi"));

            assertThat(text(slice)).isEqualTo("abc");
            assertThat(inbound.buffer()).isNotSameAs(original);
            assertThat(text(inbound.buffer())).isEqualTo("defghi");
        } finally {
            slice.release();
        }
        assertThat(original.refCnt()).isZero();
    }

    @Test
    void consumedBytesAreDiscardedInPlaceWhenNobodyHoldsASlice() {
        ByteBuf original = chunk("abcdef");
        inbound.append(ALLOC, original);
        inbound.skip(3);

        inbound.append(ALLOC, chunk("ghi"));

        assertThat(inbound.buffer()).isSameAs(original);
        assertThat(inbound.readerIndex()).isZero();
        assertThat(text(inbound.buffer())).isEqualTo("defghi");
    }

    @Test
    void readOnlyBufferIsCopiedBeforeAppending() {
        ByteBuf source = chunk("abc");
        inbound.append(ALLOC, source.asReadOnly());

        inbound.append(ALLOC, chunk("def"));

        assertThat(text(inbound.buffer())).isEqualTo("abcdef");
        assertThat(source.refCnt()).isZero();
    }

    @Test
    void readOnlyBufferWithConsumedBytesIsCopiedRatherThanCompacted() {
        ByteBuf source = chunk("abcdef");
        inbound.append(ALLOC, source.asReadOnly());
        inbound.skip(3);

        inbound.append(ALLOC, chunk("ghi"));

        assertThat(text(inbound.buffer())).isEqualTo("defghi");
        assertThat(source.refCnt()).isZero();
    }

    @Test
    void skipConsumesWithoutForwarding() {
        inbound.append(ALLOC, chunk("abcdef"));

        inbound.skip(2);

        assertThat(inbound.readableBytes()).isEqualTo(4);
        assertThat(text(inbound.buffer())).isEqualTo("cdef");
    }

    @Test
    void consumingEverythingReleasesTheBuffer() {
        ByteBuf data = chunk("abcdef");
        inbound.append(ALLOC, data);

        inbound.skip(6);

        assertThat(inbound.readableBytes()).isZero();
        assertThat(inbound.buffer()).isNull();
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void takingTheLastBytesLeavesThemOnlyToTheSlice() {
        ByteBuf data = chunk("abc");
        inbound.append(ALLOC, data);

        ByteBuf slice = inbound.takeSlice(3);

        assertThat(inbound.buffer()).isNull();
        assertThat(data.refCnt()).isEqualTo(1);
        slice.release();
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void appendedChunkIsReleasedOnceCopiedIn() {
        ByteBuf first = chunk("abc");
        ByteBuf second = chunk("def");
        inbound.append(ALLOC, first);

        inbound.append(ALLOC, second);

        assertThat(second.refCnt()).isZero();
        assertThat(first.refCnt()).isEqualTo(1);
    }

    @Test
    void releaseFreesEverything() {
        ByteBuf first = chunk("abc");
        inbound.append(ALLOC, first);
        inbound.append(ALLOC, chunk("def"));
        ByteBuf held = inbound.buffer();

        inbound.release();

        assertThat(held.refCnt()).isZero();
        assertThat(first.refCnt()).isZero();
        assertThat(inbound.buffer()).isNull();
        assertThat(inbound.readableBytes()).isZero();
        inbound.release(); // idempotent
    }
}
