package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class ClassifierPropertiesTest {

    record Component(String sql, boolean write) {
    }

    private static final List<String> READS = List.of(
            "SELECT 1",
            "select * from t where id = $1",
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1",
            "SELECT a FROM t WHERE b = ? ORDER BY a LIMIT 5",
            "VALUES (1), (2)",
            "TABLE t",
            "(SELECT 1)",
            "SHOW search_path",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "SELECT substring(a from 1 for 2) FROM t",
            "SELECT '; DELETE FROM t'",
            "SELECT \"update\" FROM \"delete\"",
            "-- DELETE FROM t\nSELECT 1",
            "/* INSERT */ SELECT 2",
            "SELECT $$; DROP TABLE t;$$",
            "COPY t TO STDOUT",
            "EXPLAIN DELETE FROM t",
            "EXPLAIN ANALYZE SELECT * FROM t");

    private static final List<String> WRITES = List.of(
            "DELETE FROM t",
            "INSERT INTO t VALUES (1)",
            "update t set a = 1",
            "SELECT nextval('s')",
            "SELECT * FROM t FOR UPDATE",
            "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
            "CREATE TABLE x (a int)",
            "SELECT pg_advisory_lock(1)",
            "COPY t FROM STDIN",
            "/* pgsplit:primary */ SELECT 1",
            "DO $$ BEGIN DELETE FROM t; END $$",
            "EXPLAIN ANALYZE DELETE FROM t",
            "SELECT * INTO t2 FROM t",
            "LOCK TABLE t",
            "TRUNCATE t");

    private static final List<String> WRITE_KEYWORDS = List.of(
            "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "CREATE", "ALTER", "DROP", "GRANT", "REVOKE",
            "VACUUM", "CLUSTER", "REINDEX", "REFRESH", "CALL", "DO", "LOCK", "COPY");

    /** Fragments that stress the lexer and the parser: quotes, comments, dollar tags, keywords, semicolons. */
    private static final List<String> SQL_FRAGMENTS = List.of(
            "SELECT", "FROM", "t", "WHERE", "(", ")", "'", "''", "\"", "$$", "$a$", "$1", "?", "--", "/*", "*/",
            ";", "\n", " ", "FOR", "UPDATE", "INTO", "nextval", "E'", "\\", "WITH", "AS", "INSERT", "BEGIN", "READ",
            "ONLY", "COMMIT", "EXPLAIN", "ANALYZE", "COPY", "TO", "STDOUT", "U&\"", "pgsplit:primary", ",", ".");

    private final StatementClassifier classifier = new StatementClassifier(RouterSettings.defaults(), Runnable::run);

    private Classification classifyBothWays(String sql) {
        Classification fast = classifier.classifyFast(sql);
        Classification full = classifier.classify(sql).join();
        if (fast != null) {
            assertThat(fast).isEqualTo(full);
        }
        return full;
    }

    @Property
    void arbitraryTextNeverThrows(@ForAll String sql) {
        assertThat(classifyBothWays(sql)).isNotNull();
    }

    @Property
    void sqlLikeTextNeverThrows(@ForAll("sqlLike") String sql) {
        assertThat(classifyBothWays(sql)).isNotNull();
    }

    @Property
    void leadingWriteKeywordIsNeverReplicaSafe(@ForAll("writeStatements") String sql) {
        assertThat(classifyBothWays(sql).requiresPrimary()).as(sql).isTrue();
    }

    @Property
    void compositionRequiresPrimaryIffAnyComponentWrites(
            @ForAll @Size(min = 1, max = 6) List<@From("components") Component> components,
            @ForAll("separators") String separator) {
        String sql = components.stream().map(Component::sql).collect(Collectors.joining(separator));

        boolean anyWrite = components.stream().anyMatch(Component::write);

        assertThat(classifyBothWays(sql).requiresPrimary()).as(sql).isEqualTo(anyWrite);
        assertThat(classifyBothWays(sql).kinds()).hasSize(components.size());
    }

    @Provide
    Arbitrary<String> sqlLike() {
        return Arbitraries.of(SQL_FRAGMENTS).list().ofMaxSize(30).map(fragments -> String.join(" ", fragments));
    }

    @Provide
    Arbitrary<String> writeStatements() {
        Arbitrary<String> prefix = Arbitraries.of("", " ", "\n\t", "/* c */ ", "-- c\n", "/* a /* b */ */");
        Arbitrary<String> keyword = Arbitraries.of(WRITE_KEYWORDS).flatMap(ClassifierPropertiesTest::randomCase);
        Arbitrary<String> separator = Arbitraries.of(" ", "\n", "\t", "(", "/**/");
        Arbitrary<String> rest = Arbitraries.oneOf(Arbitraries.strings(), sqlLike());
        return Combinators.combine(prefix, keyword, separator, rest).as((p, k, s, r) -> p + k + s + r);
    }

    @Provide
    Arbitrary<Component> components() {
        return Arbitraries.oneOf(
                Arbitraries.of(READS).map(sql -> new Component(sql, false)),
                Arbitraries.of(WRITES).map(sql -> new Component(sql, true)));
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(";", "; ", ";\n", " ;  ");
    }

    private static Arbitrary<String> randomCase(String keyword) {
        return Arbitraries.of(true, false).list().ofSize(keyword.length()).map(upper -> {
            StringBuilder cased = new StringBuilder(keyword.length());
            for (int i = 0; i < keyword.length(); i++) {
                char c = keyword.charAt(i);
                cased.append(upper.get(i) ? c : Character.toLowerCase(c));
            }
            return cased.toString();
        });
    }
}
