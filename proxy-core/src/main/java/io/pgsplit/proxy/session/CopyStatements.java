package io.pgsplit.proxy.session;

import java.util.regex.Pattern;

/** Recognises a segment that may start COPY, after which nothing may be sent to the server until CopyDone. */
final class CopyStatements {
    private static final Pattern COPY = Pattern.compile(
            "(?:^|;)(?:\\s|/\\*.*?\\*/|--[^\\n]*(?:\\n|$))*COPY\\b", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private CopyStatements() {
    }

    /** Asked only of segments that wrote and end a transaction, so the regular expression stays off the read path. */
    static boolean mayStart(Segment segment) {
        return segment.anyTextMatches(COPY);
    }
}
