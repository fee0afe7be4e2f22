package io.pgsplit.router.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.router.FunctionReference;
import io.pgsplit.router.RouterSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunctionCatalogTest {
    private static final FunctionCatalog CATALOG = CatalogFixture.catalog();

    private static FunctionLookup lookup(String schema, String name, SearchPath path) {
        return CATALOG.lookup(new FunctionReference(schema, name), path, "alice");
    }

    @Test
    void overloadsThatDisagreeCountAsWriting() {
        assertThat(lookup(null, "over", SearchPath.DEFAULT)).isEqualTo(FunctionLookup.WRITES);
    }

    @Test
    void unqualifiedNamesLookInPgCatalogAndEverySchemaOfThePath() {
        SearchPath appFirst = new SearchPath(List.of("app", "public"));
        assertThat(lookup(null, "lookup", SearchPath.DEFAULT)).isEqualTo(FunctionLookup.UNKNOWN);
        assertThat(lookup(null, "lookup", appFirst)).isEqualTo(FunctionLookup.READS);
        assertThat(lookup(null, "get_user", SearchPath.DEFAULT)).isEqualTo(FunctionLookup.READS);
        assertThat(lookup(null, "get_user", appFirst)).isEqualTo(FunctionLookup.WRITES);
        assertThat(lookup(null, "now", new SearchPath(List.of()))).isEqualTo(FunctionLookup.READS);
    }

    @Test
    void aSchemaTheSnapshotDoesNotKnowHidesNothingOnlyForUser() {
        assertThat(lookup(null, "now", new SearchPath(List.of("created_later", "public"))))
                .isEqualTo(FunctionLookup.UNKNOWN);
        assertThat(lookup(null, "now", new SearchPath(List.of("$user", "public", "pg_temp"))))
                .isEqualTo(FunctionLookup.READS);
        assertThat(lookup(null, "now", null)).isEqualTo(FunctionLookup.UNKNOWN);
    }

    @Test
    void qualifiedNamesLookOnlyInTheirSchema() {
        assertThat(lookup("app", "lookup", null)).isEqualTo(FunctionLookup.READS);
        assertThat(lookup("public", "lookup", null)).isEqualTo(FunctionLookup.UNKNOWN);
        assertThat(lookup("pg_catalog", "pg_current_wal_lsn", null)).isEqualTo(FunctionLookup.WRITES);
    }

    @Test
    void theDenyListWinsOverAStableDeclaration() {
        assertThat(lookup(null, "txid_current", SearchPath.DEFAULT)).isEqualTo(FunctionLookup.WRITES);
    }

    @Test
    void rolesStartWithTheirOwnSearchPath() {
        assertThat(CATALOG.searchPathFor("tenant")).isEqualTo(new SearchPath(List.of("app", "public")));
        assertThat(CATALOG.searchPathFor("alice")).isEqualTo(SearchPath.DEFAULT);
    }

    @Test
    void countsWhatItKnows() {
        assertThat(CATALOG.writingViewCount()).isEqualTo(2);
        assertThat(CATALOG.hasWritingViews()).isTrue();
        assertThat(CATALOG.writingFunctions()).isPositive();
    }

    @Test
    void aViewIsJudgedByTheFunctionsItsQueryCalls() {
        FunctionCatalog catalog = FunctionCatalog.of(new CatalogContents("db", Set.of("public", "pg_catalog"),
                List.of(new CatalogFunction(1, "public", "f", 'f', 's', 'u', "sql", "SELECT 1", List.of())),
                List.of(new CatalogView(2, "public", "v", List.of(1L), List.of())), Map.of(), SearchPath.DEFAULT),
                RouterSettings.defaults().deniedFunctions(), 7, Instant.EPOCH);

        assertThat(catalog.hasWritingViews()).isFalse();
        assertThat(catalog.version()).isEqualTo(7);
    }
}
