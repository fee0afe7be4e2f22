package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven routing expectations from {@code routing-corpus.tsv}. */
class RoutingCorpusTest {

    record Row(String sql, boolean primary, RouteReason reason, TransactionControl transaction) {
        @Override
        public String toString() {
            return (primary ? "primary " : "replica ") + reason.label() + " <- " + sql;
        }
    }

    static List<Row> corpus() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                RoutingCorpusTest.class.getResourceAsStream("routing-corpus.tsv")), StandardCharsets.UTF_8))) {
            return reader.lines()
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(RoutingCorpusTest::parse)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Row parse(String line) {
        String[] columns = line.split("\t", 4);
        String sql = columns[3].replace("{NL}", "\n").replace("{TAB}", "\t");
        return new Row(sql, columns[0].equals("primary"), reasonOf(columns[1]),
                TransactionControl.valueOf(columns[2].toUpperCase(Locale.ROOT)));
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
    void corpusCoversAtLeast150Statements() {
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(150);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void routesCorpusStatement(Row row) {
        StatementClassifier classifier = new StatementClassifier(RouterSettings.defaults(), Runnable::run);

        Classification classification = classifier.classify(row.sql()).join();

        assertThat(classification.requiresPrimary()).as("requiresPrimary").isEqualTo(row.primary());
        assertThat(classification.reason()).as("reason").isEqualTo(row.reason());
        assertThat(classification.transaction()).as("transaction").isEqualTo(row.transaction());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void fastPathNeverContradictsTheFullClassification(Row row) {
        StatementClassifier fast = new StatementClassifier(RouterSettings.defaults(), Runnable::run);
        StatementClassifier full = new StatementClassifier(RouterSettings.defaults(), Runnable::run);

        Classification fastAnswer = fast.classifyFast(row.sql());

        if (fastAnswer != null) {
            assertThat(fastAnswer).isEqualTo(full.classify(row.sql()).join());
        }
    }
}
