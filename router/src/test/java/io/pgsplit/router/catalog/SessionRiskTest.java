package io.pgsplit.router.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.router.CodeCalls;
import io.pgsplit.router.FunctionReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reset rule without a catalog: only the documented allow-list counts as harmless. */
class SessionRiskTest {

    private static SessionRisk withoutCatalog(FunctionReference... calls) {
        return SessionRisk.of(new CodeCalls(List.of(calls), false), null, null, "app");
    }

    @Test
    void allowListedBuiltInsAreHarmlessUnqualifiedOrInPgCatalog() {
        assertThat(withoutCatalog(new FunctionReference(null, "count"),
                new FunctionReference("pg_catalog", "lower"))).isEqualTo(SessionRisk.NONE);
    }

    @Test
    void anyOtherNameOrSchemaNeedsAReset() {
        assertThat(withoutCatalog(new FunctionReference(null, "sc"))).isEqualTo(SessionRisk.FUNCTION);
        assertThat(withoutCatalog(new FunctionReference("public", "lower"))).isEqualTo(SessionRisk.FUNCTION);
        assertThat(withoutCatalog(new FunctionReference(null, "setseed"))).isEqualTo(SessionRisk.SESSION_FUNCTION);
        assertThat(SessionRisk.of(CodeCalls.OPAQUE, null, null, "app")).isEqualTo(SessionRisk.OPAQUE_CODE);
    }

    private static SessionRisk withCatalog(SearchPath path, FunctionReference... calls) {
        return SessionRisk.of(new CodeCalls(List.of(calls), false), CatalogFixture.catalog(), path, "app");
    }

    @Test
    void withTheCatalogEveryPgCatalogFunctionIsBuiltInUnlessTheSearchPathCanHideIt() {
        assertThat(withCatalog(SearchPath.DEFAULT, new FunctionReference(null, "now"),
                new FunctionReference("pg_catalog", "upper"))).isEqualTo(SessionRisk.NONE);
        assertThat(withCatalog(SearchPath.DEFAULT, new FunctionReference(null, "stable_lookup")))
                .as("a STABLE user function may still call set_config").isEqualTo(SessionRisk.FUNCTION);
        assertThat(withCatalog(SearchPath.DEFAULT, new FunctionReference(null, "missing")))
                .isEqualTo(SessionRisk.FUNCTION);
        assertThat(withCatalog(new SearchPath(List.of("nowhere")), new FunctionReference(null, "now")))
                .as("a schema the snapshot does not know may hold a now()").isEqualTo(SessionRisk.FUNCTION);
        assertThat(withCatalog(null, new FunctionReference(null, "now"))).isEqualTo(SessionRisk.FUNCTION);
        assertThat(withCatalog(SearchPath.DEFAULT, new FunctionReference(null, "setseed")))
                .isEqualTo(SessionRisk.SESSION_FUNCTION);
    }
}
