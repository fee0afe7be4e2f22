package io.pgsplit.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when any ByteBuf was leaked while it ran.
 *
 * <p>Netty notices a leak only when the garbage collector has cleared the buffer and a later
 * allocation polls the reference queue, so the check forces both before it looks. Registered for
 * every test class through JUnit's extension auto-detection (enabled in the parent POM).
 */
public final class NettyLeakCheckExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        List<String> reports = collectLeaks();
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " Netty leak report(s) in " + context.getDisplayName()
                    + ":\n" + String.join("\n\n", reports));
        }
    }

    /** Forces collection and a queue poll, then returns (and forgets) every report gathered so far. */
    public static List<String> collectLeaks() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
            touchDetectors();
        }
        return LeakReports.drain();
    }

    private static void touchDetectors() {
        // PARANOID tracks every allocation, and tracking is what drains the detector's reference queue.
        for (int i = 0; i < 8; i++) {
            ByteBuf pooledHeap = PooledByteBufAllocator.DEFAULT.heapBuffer(8);
            ByteBuf pooledDirect = PooledByteBufAllocator.DEFAULT.directBuffer(8);
            ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.directBuffer(8);
            pooledHeap.release();
            pooledDirect.release();
            unpooled.release();
        }
    }
}
