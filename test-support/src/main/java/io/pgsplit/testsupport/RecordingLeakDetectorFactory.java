package io.pgsplit.testsupport;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

/**
 * Makes every Netty leak detector record its reports in {@link LeakReports} as well as log them,
 * so a test can fail on a leak instead of leaving a line in a log nobody reads.
 */
final class RecordingLeakDetectorFactory extends ResourceLeakDetectorFactory {

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new RecordingLeakDetector<>(resource, samplingInterval);
    }

    private static final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
        RecordingLeakDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true; // report even when the logging backend has errors switched off
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LeakReports.add("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LeakReports.add("LEAK (untraced): " + resourceType);
            super.reportUntracedLeak(resourceType);
        }
    }
}
