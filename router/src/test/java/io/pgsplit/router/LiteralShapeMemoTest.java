package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shape memo seen through {@link StatementClassifier#classifyFast}: when it answers, and that it answers right. */
class LiteralShapeMemoTest {

    private static final String PGBENCH = "SELECT abalance FROM pgbench_accounts WHERE aid = 48213;";
    private static final String STRINGS = "SELECT a FROM t WHERE b = 'x' AND c = 1";
    private static final String AT_END = "SELECT a FROM t1 WHERE b = 1";

    private final AtomicInteger lexed = new AtomicInteger();

    /** A classifier that counts its lexer runs: a memo answer is a call that does not lex. */
    private StatementClassifier counting() {
        return new StatementClassifier(RouterSettings.defaults(), Runnable::run, CCJSqlParserUtil::newParser,
                (delayNanos, task) -> { }, (sql, rules) -> {
                    lexed.incrementAndGet();
                    return ClassificationPlan.of(sql, rules);
                });
    }

    /** What the full path answers: a classifier that has seen nothing. */
    private static Classification fresh(String sql) {
        return new StatementClassifier(RouterSettings.defaults(), Runnable::run).classifyFast(sql);
    }

    private static boolean routesToPrimary(String sql) {
        return new StatementClassifier(RouterSettings.defaults(), Runnable::run).classify(sql).join()
                .requiresPrimary();
    }

    @Test
    void answersAnotherAidOfThePgbenchShapeWithoutLexing() {
        StatementClassifier classifier = counting();
        Classification learnt = classifier.classifyFast(PGBENCH);

        Classification again = classifier.classifyFast("SELECT abalance FROM pgbench_accounts WHERE aid = 7;");

        assertThat(lexed).as("the second sighting of the shape is not lexed").hasValue(1);
        assertThat(again).isSameAs(learnt).isEqualTo(fresh("SELECT abalance FROM pgbench_accounts WHERE aid = 7;"));
        assertThat(again.requiresPrimary()).isFalse();
        assertThat(classifier.isCached(PGBENCH)).as("the exact-text cache still keeps no inline values").isFalse();
    }

    static Stream<Arguments> sameShape() {
        return Stream.of(
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 99999999999999999999;"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = 'it''s' AND c = 2"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = '; DELETE FROM t; --' AND c = 2"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = '''; DELETE FROM t; --' AND c = 2"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = '/* x' AND c = 2"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = '$$' AND c = 2"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = '/* pgsplit:primary */' AND c = 2"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = '' AND c = 2"),
                Arguments.of(AT_END, "SELECT a FROM t1 WHERE b = 10"),
                Arguments.of("SELECT 1+2", "SELECT 30+40"),
                Arguments.of("SELECT 'a'||'b'", "SELECT 'c'||'d'"),
                Arguments.of("SELECT 1 WHERE a = $1", "SELECT 2 WHERE a = $1"),
                Arguments.of("SELECT 1;", "SELECT 2;"),
                Arguments.of("WITH x AS (SELECT 1) SELECT * FROM x WHERE y IN (2, 'z')",
                        "WITH x AS (SELECT 5) SELECT * FROM x WHERE y IN (6, 'w')"),
                Arguments.of("(SELECT d FROM t WHERE d > '2024-01-01'::date)",
                        "(SELECT d FROM t WHERE d > '2025-12-31'::date)"),
                Arguments.of("VALUES (1, 'a')", "VALUES (2, 'b')"),
                Arguments.of("SELECT '--' FROM t /* note */ WHERE a = 1 -- end",
                        "SELECT '/*' FROM t /* note */ WHERE a = 2 -- end"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("sameShape")
    void answersTheSameShapeFromTheMemoAsTheFullPathWould(String template, String sql) {
        StatementClassifier classifier = counting();
        classifier.classifyFast(template);

        Classification answer = classifier.classifyFast(sql);

        assertThat(lexed).as("answered by the memo").hasValue(1);
        assertThat(answer).isEqualTo(fresh(sql));
        assertThat(answer.requiresPrimary()).isFalse();
    }

    static Stream<Arguments> otherShape() {
        return Stream.of(
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 1.5;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 1e5;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 1_000;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 0x1F;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 12abc;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = -7;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = $1;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = '7';"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 7"),
                Arguments.of(PGBENCH, "select abalance from pgbench_accounts where aid = 7;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 7; -- c"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 7 FOR UPDATE;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 7; DELETE FROM t;"),
                Arguments.of(PGBENCH, "SELECT abalance FROM pgbench_accounts WHERE aid = 7;; DELETE FROM t"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = 'x'; DELETE FROM t; --' AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = 'x\\'; DELETE FROM t; --' AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = 'x\\' AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = E'x\\'' AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = E'\\'; DELETE FROM t; --' AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = U&'x' AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = B'1' AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = $$x$$ AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = $a$x$a$ AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = 'unterminated AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = 'x' 'y' AND c = 1"),
                Arguments.of(STRINGS, "SELECT a FROM t WHERE b = 'x' AND c = 1 -- pgsplit:primary"),
                Arguments.of(AT_END, "SELECT a FROM t1 WHERE b = 1; DELETE FROM t1"),
                Arguments.of(AT_END, "SELECT a FROM t1 WHERE b = 1 "),
                Arguments.of(AT_END, "SELECT a FROM t2 WHERE b = 1"),
                Arguments.of(AT_END, "SELECT a FROM t1 WHERE b = 1 -- c\n; UPDATE t1 SET b = 2"),
                Arguments.of(AT_END, "SELECT a FROM t1 WHERE b = 1 /* pgsplit:primary */"),
                Arguments.of(AT_END, "SELECT a FROM t1 WHERE b = nextval('s')"),
                Arguments.of("SELECT 1;", "SELECT 1; DELETE FROM t"),
                Arguments.of("SELECT 1+2", "SELECT 3+-4"),
                Arguments.of("SELECT 1 WHERE a = $1", "SELECT 2 WHERE a = $2"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("otherShape")
    void leavesOtherShapesToTheFullPath(String template, String sql) {
        StatementClassifier classifier = counting();
        classifier.classifyFast(template);

        Classification answer = classifier.classifyFast(sql);

        assertThat(lexed).as("lexed again").hasValue(2);
        assertThat(answer).isEqualTo(fresh(sql));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT abalance FROM pgbench_accounts WHERE aid = 7; DELETE FROM t;",
        "SELECT abalance FROM pgbench_accounts WHERE aid = 7;; DELETE FROM t",
        "SELECT abalance FROM pgbench_accounts WHERE aid = 7 FOR UPDATE;",
        "SELECT a FROM t WHERE b = 'x'; DELETE FROM t; --' AND c = 1",
        "SELECT a FROM t WHERE b = 'x\\'; DELETE FROM t; --' AND c = 1",
        "SELECT a FROM t WHERE b = 'unterminated AND c = 1",
        "SELECT a FROM t WHERE b = 'x' AND c = 1 -- pgsplit:primary",
        "SELECT a FROM t1 WHERE b = 1; DELETE FROM t1",
        "SELECT a FROM t1 WHERE b = 1 -- c\n; UPDATE t1 SET b = 2",
        "SELECT a FROM t1 WHERE b = 1 /* pgsplit:primary */",
        "SELECT a FROM t1 WHERE b = nextval('s')",
        "SELECT 1; DELETE FROM t"})
    void writesThatLookLikeALearntShapeStillGoToThePrimary(String sql) {
        StatementClassifier classifier = counting();
        for (String template : new String[] {PGBENCH, STRINGS, AT_END, "SELECT 1;"}) {
            classifier.classifyFast(template);
        }

        Classification fast = classifier.classifyFast(sql);
        Classification answer = fast != null ? fast : classifier.classify(sql).join();

        assertThat(answer.requiresPrimary()).isTrue();
        assertThat(routesToPrimary(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1; SELECT 2",
        "SELECT nextval('s')",
        "SELECT lower('A') FROM t WHERE a = 1",
        "SELECT set_config('application_name', 'x', false)",
        "SELECT * FROM t WHERE a = 1 FOR UPDATE",
        "UPDATE t SET a = 1",
        "INSERT INTO t VALUES (1, 'a')",
        "EXPLAIN SELECT * FROM t WHERE a = 1",
        "/* pgsplit:primary */ SELECT 1",
        "SELECT E'x'",
        "SELECT B'1'",
        "SELECT 1.5",
        "SELECT $$x$$ WHERE a = 1",
        "SELECT 'x\\' WHERE a = 1",
        "SELECT a FROM t WHERE b = $1"})
    void learnsNothingThatIsNotAPlainCallFreeReadWithSimpleLiterals(String sql) {
        StatementClassifier classifier = counting();

        classifier.classifyFast(sql);
        classifier.classifyFast(sql.replace('1', '3').replace("'x'", "'y'").replace("'A'", "'B'"));

        assertThat(lexed).as("lexed both times").hasValue(2);
    }

    @Test
    void multiStatementTextDoesNotMatchTheShapeOfItsFirstStatement() {
        StatementClassifier classifier = counting();
        classifier.classifyFast("SELECT 1; SELECT 2");

        Classification answer = classifier.classifyFast("SELECT 1; DELETE FROM t");

        assertThat(answer.requiresPrimary()).isTrue();
        assertThat(lexed).hasValue(2);
    }

    @Test
    void keepsTheLastShapesAndReplacesTheOldestFirst() {
        StatementClassifier classifier = counting();
        for (int i = 0; i <= LiteralShapeMemo.CAPACITY; i++) {
            classifier.classifyFast("SELECT a FROM t" + i + " WHERE b = 1");
        }
        int learnt = lexed.get();

        classifier.classifyFast("SELECT a FROM t" + LiteralShapeMemo.CAPACITY + " WHERE b = 2");
        classifier.classifyFast("SELECT a FROM t1 WHERE b = 2");
        assertThat(lexed).as("the newest shapes answer").hasValue(learnt);

        classifier.classifyFast("SELECT a FROM t0 WHERE b = 2");
        assertThat(lexed).as("the first shape made room for the last").hasValue(learnt + 1);
    }

    @Test
    void eachThreadAndEachClassifierLearnsForItself() {
        StatementClassifier classifier = counting();
        classifier.classifyFast(PGBENCH);

        CompletableFuture.runAsync(() -> classifier.classifyFast(PGBENCH.replace("48213", "5"))).join();
        assertThat(lexed).as("another thread lexes its first sighting").hasValue(2);

        StatementClassifier reloaded = counting();
        reloaded.classifyFast(PGBENCH.replace("48213", "6"));
        assertThat(lexed).as("a new classifier (configuration reload) starts empty").hasValue(3);

        classifier.classifyFast(PGBENCH.replace("48213", "7"));
        assertThat(lexed).as("the first thread's memo still answers").hasValue(3);
    }

    @Test
    void countsAMemoAnswerAsAHitAndTheSightingItLearntFromAsAMiss() {
        StatementClassifier classifier = counting();

        classifier.classifyFast(PGBENCH);
        assertThat(classifier.cacheMisses()).isEqualTo(1);
        assertThat(classifier.cacheHits()).isZero();

        classifier.classifyFast(PGBENCH.replace("48213", "1"));
        classifier.classifyFast(PGBENCH.replace("48213", "2"));
        classifier.classifyFast(PGBENCH.replace("48213", "2.5"));
        assertThat(classifier.cacheHits()).as("two memo answers").isEqualTo(2);
        assertThat(classifier.cacheMisses()).as("the decimal was lexed").isEqualTo(2);
        assertThat(classifier.cacheMisses()).as("a miss is a lexer run").isEqualTo(lexed.get());
    }

    @Test
    void aMemoAnswerAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        StatementClassifier classifier = counting();
        // Several shapes, so that a lookup also walks past shapes that do not match.
        for (int i = 0; i < LiteralShapeMemo.CAPACITY; i++) {
            classifier.classifyFast("SELECT abalance FROM pgbench_accounts" + i + " WHERE aid = 1;");
        }
        classifier.classifyFast(PGBENCH);
        String[] texts = new String[1000];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "SELECT abalance FROM pgbench_accounts WHERE aid = " + (i * 7919) + ";";
        }
        for (String text : texts) {
            classifier.classifyFast(text);
        }
        int lexedBefore = lexed.get();

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 20; round++) {
            for (String text : texts) {
                classifier.classifyFast(text);
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(lexed).as("all answered by the memo").hasValue(lexedBefore);
        assertThat(allocated).as("bytes allocated by 20,000 memo answers").isLessThan(64 * 1024);
    }
}
