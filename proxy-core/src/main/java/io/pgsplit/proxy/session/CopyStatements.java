package io.pgsplit.proxy.session;

import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.util.regex.Pattern;

/** Recognises a segment that may start COPY, after which nothing may be sent to the server until CopyDone. */
final class CopyStatements {
    private static final Pattern COPY = Pattern.compile(
            "(?:^|;)(?:\\s|/\\*.*?\\*/|--[^\\n]*(?:\\n|$))*COPY\\b", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private CopyStatements() {
    }

    /** Asked only of segments that wrote and end a transaction, so the regular expression stays off the read path. */
    static boolean mayStart(Segment segment) {
        for (String sql : segment.queries) {
            if (COPY.matcher(sql).find()) {
                return true;
            }
        }
        for (PreparedStatementDef def : segment.parsed) {
            if (COPY.matcher(def.sql()).find()) {
                return true;
            }
        }
        for (PreparedStatementDef def : segment.referenced) {
            if (COPY.matcher(def.sql()).find()) {
                return true;
            }
        }
        return false;
    }
}
