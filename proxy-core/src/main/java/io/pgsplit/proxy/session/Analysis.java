package io.pgsplit.proxy.session;

import io.pgsplit.router.Classification;
import io.pgsplit.router.SessionCommand;
import java.util.List;

/**
 * What a segment's statements are: their combined classification (null for a segment without SQL),
 * the session commands among them, and the SQL-level prepared statements they EXECUTE.
 */
record Analysis(Classification classification, List<SessionCommand> commands, List<String> executedStatements)
        implements AnalysisResult {
    static final Analysis NO_SQL = new Analysis(null, List.of(), List.of());
}
