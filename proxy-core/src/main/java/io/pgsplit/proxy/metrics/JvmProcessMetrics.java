package io.pgsplit.proxy.metrics;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/** Micrometer's JVM and process binders. The GC binder listens to JMX notifications until it is closed. */
final class JvmProcessMetrics implements AutoCloseable {
    private final JvmGcMetrics gc = new JvmGcMetrics();

    JvmProcessMetrics(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        bindNettyMemory(registry);
    }

    /**
     * Netty's buffers live outside the JVM's own memory pools (its allocator, not ByteBuffer.allocateDirect),
     * so the JVM meters do not see them: what a connection costs is heap plus this.
     */
    private static void bindNettyMemory(MeterRegistry registry) {
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric metric = provider.metric();
            Gauge.builder("pgsplit.netty.memory.used", metric, ByteBufAllocatorMetric::usedDirectMemory).baseUnit("bytes")
                    .description("Memory Netty's buffer allocator holds, by area").tag("area", "direct").register(registry);
            Gauge.builder("pgsplit.netty.memory.used", metric, ByteBufAllocatorMetric::usedHeapMemory).baseUnit("bytes")
                    .description("Memory Netty's buffer allocator holds, by area").tag("area", "heap").register(registry);
        }
    }

    @Override
    public void close() {
        gc.close();
    }
}
