package io.pgsplit.proxy.analyze;

import io.pgsplit.proxy.catalog.CatalogReader;
import io.pgsplit.proxy.session.StatementTarget;
import io.pgsplit.router.Classification;
import io.pgsplit.router.RouterSettings;
import io.pgsplit.router.StatementClassifier;
import io.pgsplit.router.catalog.CatalogRouting;
import io.pgsplit.router.catalog.FunctionCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * {@code pgsplit analyze}: reads a database's pg_stat_statements and routes every statement with pgsplit's own
 * classifier and that database's function catalog, as a session of the role that ran it would (its search_path as
 * the catalog knows it; no transaction, no pin, no fence). The connection is read-only
 * ({@link io.pgsplit.health.MonitorConnections}).
 */
public final class OffloadAnalyzer {

    private OffloadAnalyzer() {
    }

    /** @param database the database {@code connection} is logged in to */
    public static OffloadEstimate analyze(Connection connection, String database, RouterSettings settings,
                                          boolean catalog, int top) throws SQLException {
        StatementStatsReader.Statements statements = StatementStatsReader.read(connection);
        FunctionCatalog functions = catalog
                ? FunctionCatalog.of(CatalogReader.read(connection, database), settings.deniedFunctions(), 1, Instant.now())
                : null;
        StatementClassifier classifier = new StatementClassifier(settings, Runnable::run);
        return OffloadEstimate.of(database, catalog, statements.visible(), statements.hidden(),
                stat -> route(classifier, functions, stat), top);
    }

    static StatementTarget route(StatementClassifier classifier, FunctionCatalog functions, StatementStat stat) {
        Classification classification = classifier.classify(stat.query()).join();
        if (functions != null) {
            classification = CatalogRouting.apply(classification, stat.query(), functions,
                    functions.searchPathFor(stat.role()), stat.role());
        }
        return StatementTarget.of(classification);
    }
}
