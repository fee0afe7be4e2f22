package io.pgsplit.testsupport;

import java.util.ArrayList;
import java.util.List;

/** Leak reports collected from every Netty leak detector in this JVM, drained by {@link NettyLeakCheckExtension}. */
public final class LeakReports {
    private static final List<String> REPORTS = new ArrayList<>();

    private LeakReports() {
    }

    static synchronized void add(String report) {
        REPORTS.add(report);
    }

    /** Returns the reports gathered since the last call and forgets them. */
    public static synchronized List<String> drain() {
        List<String> copy = List.copyOf(REPORTS);
        REPORTS.clear();
        return copy;
    }
}
