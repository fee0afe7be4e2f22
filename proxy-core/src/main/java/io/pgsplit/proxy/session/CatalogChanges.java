package io.pgsplit.proxy.session;

import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.catalog.CatalogRegistry;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.router.CatalogDdl;
import io.pgsplit.router.Classification;
import io.pgsplit.router.StatementKind;

/**
 * Tells the routing catalog when this session changes routines (CREATE/ALTER/DROP FUNCTION, PROCEDURE, views,
 * schemas, search_path defaults, DO): when the statement is sent, which makes the database's snapshot stale at
 * once (every call goes to the primary), and again when it has committed and nothing more is owed, which reads the
 * catalog again. A function created through pgsplit is therefore never sent to a replica on an outdated
 * judgement, and runs there as soon as the reload (tens of milliseconds) has seen it.
 */
final class CatalogChanges {
    private final CatalogRegistry registry;
    private final String database;
    private boolean awaitingEnd;

    CatalogChanges(CatalogRegistry registry, String database) {
        this.registry = registry;
        this.database = database;
    }

    /** A request went out; only writes and utility statements (DO) are looked at. */
    void sent(Segment s, Classification classification) {
        if (classification == null || !registry.enabled()
                || !classification.kinds().contains(StatementKind.WRITE)
                && !classification.kinds().contains(StatementKind.UTILITY)) {
            return;
        }
        if (changesRouting(s)) {
            registry.changed(database);
            awaitingEnd = true;
        }
    }

    /** The server owes nothing more; outside a transaction whatever was changed is committed (or rolled back). */
    void settled(TransactionStatus status) {
        if (awaitingEnd && status == TransactionStatus.IDLE) {
            awaitingEnd = false;
            registry.changed(database);
        }
    }

    private static boolean changesRouting(Segment s) {
        for (String sql : s.queries) {
            if (CatalogDdl.changesRouting(sql)) {
                return true;
            }
        }
        for (PreparedStatementDef def : s.parsed) {
            if (CatalogDdl.changesRouting(def.sql())) {
                return true;
            }
        }
        for (PreparedStatementDef def : s.referenced) {
            if (CatalogDdl.changesRouting(def.sql())) {
                return true;
            }
        }
        return false;
    }
}
