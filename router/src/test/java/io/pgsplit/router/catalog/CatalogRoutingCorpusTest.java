package io.pgsplit.router.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.router.Classification;
import io.pgsplit.router.RouteReason;
import io.pgsplit.router.RouterSettings;
import io.pgsplit.router.SearchPathSetting;
import io.pgsplit.router.StatementClassifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven routing with a catalog, from {@code catalog-routing-corpus.tsv} and {@link CatalogFixture}. */
class CatalogRoutingCorpusTest {
    private static final String USER = "app_user";
    private static final FunctionCatalog CATALOG = CatalogFixture.catalog();

    record Row(boolean primary, RouteReason reason, String session, String sql) {
        @Override
        public String toString() {
            return (primary ? "primary " : "replica ") + reason.label() + " <- " + sql + " [" + session + "]";
        }
    }

    static List<Row> corpus() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                CatalogRoutingCorpusTest.class.getResourceAsStream("catalog-routing-corpus.tsv")),
                StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(CatalogRoutingCorpusTest::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Row parse(String line) {
        String[] columns = line.split("\t", 4);
        return new Row(columns[0].equals("primary"), reasonOf(columns[1]), columns[2], columns[3]);
    }

    private static RouteReason reasonOf(String label) {
        for (RouteReason reason : RouteReason.values()) {
            if (reason.label().equals(label)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown reason label " + label);
    }

    @Test
    void corpusCoversAtLeast60Statements() {
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void routesCorpusStatementWithTheCatalog(Row row) {
        StatementClassifier classifier = new StatementClassifier(RouterSettings.defaults(), Runnable::run);
        String user = row.session().startsWith("role:") ? row.session().substring(5) : USER;
        SearchPath path = row.session().equals("default") || row.session().startsWith("role:")
                ? CATALOG.searchPathFor(user) : SearchPathSetting.read(row.session());

        Classification judged = CatalogRouting.apply(classifier.classify(row.sql()).join(), row.sql(), CATALOG,
                path, user);

        assertThat(judged.requiresPrimary()).as("requiresPrimary").isEqualTo(row.primary());
        assertThat(judged.reason()).as("reason").isEqualTo(row.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void withoutASnapshotEveryCallIsUnknown(Row row) {
        StatementClassifier classifier = new StatementClassifier(RouterSettings.defaults(), Runnable::run);
        Classification text = classifier.classify(row.sql()).join();

        Classification judged = CatalogRouting.apply(text, row.sql(), null, SearchPath.DEFAULT, USER);

        if (!text.requiresPrimary() && !text.functions().isEmpty()) {
            assertThat(judged.reason()).isEqualTo(RouteReason.UNKNOWN_FUNCTION);
        } else {
            assertThat(judged).isEqualTo(text);
        }
    }
}
