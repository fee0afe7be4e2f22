package io.pgsplit.proxy.session;

import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.router.Classification;
import java.util.concurrent.CompletableFuture;

/**
 * A statement text of the request needs the parser, which runs off the event loop. {@code def}: the
 * client's prepared statement it belongs to, or null for a simple Query's text (or the text an
 * EXECUTE runs). Its answer is recorded with the request or the statement, never only in a cache
 * that may not keep it, so the request is analysed once more and then routed.
 */
record PendingParse(String sql, PreparedStatementDef def, CompletableFuture<Classification> parse)
        implements AnalysisResult {
}
