package io.pgsplit.proxy.session;

import io.pgsplit.router.Classification;
import io.pgsplit.router.SessionCommand;
import io.pgsplit.router.catalog.SessionRisk;
import java.util.List;

/**
 * What a segment's statements are: their combined classification (null for a segment without SQL),
 * the session commands among them, the SQL-level prepared statements they EXECUTE, and whether the
 * code they run may change session state behind pgsplit's back (a pooled connection that ran it is
 * reset before its next client).
 */
record Analysis(Classification classification, List<SessionCommand> commands, List<String> executedStatements,
                SessionRisk risk) implements AnalysisResult {
    static final Analysis NO_SQL = new Analysis(null, List.of(), List.of(), SessionRisk.NONE);
}
