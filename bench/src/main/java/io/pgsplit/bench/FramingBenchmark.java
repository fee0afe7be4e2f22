package io.pgsplit.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.pgsplit.protocol.MessageFraming;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The relay's per-message cost: walking the headers of a 100-row result without decoding it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FramingBenchmark {
    private static final int ROWS = 100;
    private ByteBuf result;

    @Setup
    public void setUp() {
        result = PooledByteBufAllocator.DEFAULT.directBuffer();
        for (int i = 0; i < ROWS; i++) {
            result.writeByte('D').writeInt(4 + 2 + 4 + 8).writeShort(1).writeInt(8).writeLong(i);
        }
        result.writeByte('C').writeInt(4 + 11).writeBytes("SELECT 100\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        result.writeByte('Z').writeInt(5).writeByte('I');
    }

    @TearDown
    public void tearDown() {
        result.release();
    }

    @Benchmark
    public int walkHeadersOf100Rows() {
        int index = result.readerIndex();
        int messages = 0;
        while (index < result.writerIndex()) {
            int length = MessageFraming.completeMessageLength(result, index, 1 << 20);
            index += length;
            messages++;
        }
        return messages;
    }
}
