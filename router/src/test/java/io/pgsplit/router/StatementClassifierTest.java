package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.Provider;
import net.sf.jsqlparser.parser.StringProvider;
import org.junit.jupiter.api.Test;

class StatementClassifierTest {

    private static final String LOCKING_QUERY = "SELECT * FROM t WHERE id = $1 FOR UPDATE";

    private final AtomicInteger parses = new AtomicInteger();
    /** Tasks handed to the executor but not yet run, so tests decide when (and whether) parsing happens. */
    private final List<Runnable> queued = new CopyOnWriteArrayList<>();

    private CCJSqlParser countingParser(String sql) {
        parses.incrementAndGet();
        return CCJSqlParserUtil.newParser(sql);
    }

    private StatementClassifier classifier(RouterSettings settings, Executor executor) {
        return new StatementClassifier(settings, executor, this::countingParser);
    }

    private static RouterSettings withTimeout(Duration parseTimeout) {
        return new RouterSettings(RouterSettings.DEFAULT_WRITE_FUNCTIONS, 100, parseTimeout);
    }

    private void runQueued() {
        List<Runnable> tasks = List.copyOf(queued);
        queued.clear();
        tasks.forEach(Runnable::run);
    }

    @Test
    void lexerDecidedTextWithInlineValuesIsNotCachedButParameterisedTextIs() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);
        String inline = "SELECT abalance FROM pgbench_accounts WHERE aid = 42 AND name = 'x'";
        String parameterised = "SELECT abalance FROM pgbench_accounts WHERE aid = $1";

        classifier.classifyFast(inline);
        classifier.classifyFast(inline);
        assertThat(classifier.isCached(inline)).as("inline values: not cached").isFalse();
        assertThat(classifier.cacheHits()).as("inline values: the shape memo answers again").isEqualTo(1);

        classifier.classifyFast(parameterised);
        assertThat(classifier.classifyFast(parameterised).requiresPrimary()).isFalse();
        assertThat(classifier.isCached(parameterised)).as("parameters only: cached").isTrue();
        assertThat(classifier.cacheHits()).isEqualTo(2);
    }

    @Test
    void parserDecidedTextIsCachedEvenWithInlineValues() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);
        String locking = "SELECT * FROM t WHERE id = 7 FOR UPDATE";

        assertThat(classifier.classify(locking).join().requiresPrimary()).isTrue();
        assertThat(classifier.classifyFast(locking)).isNotNull();
        assertThat(parses).hasValue(1);
    }

    @Test
    void fastPathDecidesLexerSettledStatementsAndDefersTheRest() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);

        assertThat(classifier.classifyFast("SELECT abalance FROM pgbench_accounts WHERE aid = $1").requiresPrimary())
                .isFalse();
        assertThat(classifier.classifyFast("UPDATE t SET a = 1").reason()).isEqualTo(RouteReason.WRITE);
        assertThat(classifier.classifyFast(LOCKING_QUERY)).isNull();
        assertThat(parses).hasValue(0);
    }

    @Test
    void countsHitsAndMissesOfTheFastPath() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);

        Classification first = classifier.classifyFast("SELECT name FROM accounts WHERE id = $1");
        Classification second = classifier.classifyFast("SELECT name FROM accounts WHERE id = $1");

        assertThat(second).isSameAs(first);
        assertThat(classifier.cacheMisses()).isEqualTo(1);
        assertThat(classifier.cacheHits()).isEqualTo(1);
    }

    @Test
    void secondClassifyOfSameTextIsServedFromCacheWithoutParsing() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);

        Classification parsed = classifier.classify(LOCKING_QUERY).join();
        Classification again = classifier.classify(LOCKING_QUERY).join();

        assertThat(again).isEqualTo(parsed);
        assertThat(parsed.reason()).isEqualTo(RouteReason.LOCKING_READ);
        assertThat(parses).hasValue(1);
    }

    @Test
    void fastPathReturnsParsedResultOnceCached() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);
        Classification parsed = classifier.classify(LOCKING_QUERY).join();

        assertThat(classifier.classifyFast(LOCKING_QUERY)).isSameAs(parsed);
        assertThat(classifier.cacheHits()).isEqualTo(1);
        assertThat(parses).hasValue(1);
    }

    @Test
    void concurrentFirstSightingsShareOneParse() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), queued::add);

        CompletableFuture<Classification> first = classifier.classify(LOCKING_QUERY);
        CompletableFuture<Classification> second = classifier.classify(LOCKING_QUERY);
        assertThat(classifier.classifyFast(LOCKING_QUERY)).as("in flight is not a hit").isNull();
        assertThat(queued).hasSize(1);
        runQueued();

        assertThat(first.join()).isEqualTo(second.join());
        assertThat(first.join().reason()).isEqualTo(RouteReason.LOCKING_READ);
        assertThat(parses).hasValue(1);
    }

    @Test
    void callerCancellingItsFutureDoesNotAffectOthers() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), queued::add);

        classifier.classify(LOCKING_QUERY).cancel(true);
        CompletableFuture<Classification> other = classifier.classify(LOCKING_QUERY);
        runQueued();

        assertThat(other.join().reason()).isEqualTo(RouteReason.LOCKING_READ);
        assertThat(classifier.classify(LOCKING_QUERY).join().reason()).isEqualTo(RouteReason.LOCKING_READ);
    }

    @Test
    void parseExceedingTheTimeoutRoutesToPrimaryAsUnparsed() throws Exception {
        StatementClassifier classifier = classifier(withTimeout(Duration.ofMillis(50)), queued::add);

        Classification classification = classifier.classify(LOCKING_QUERY).get(5, TimeUnit.SECONDS);

        assertThat(classification).isEqualTo(Classification.unparsed());
    }

    @Test
    void timedOutJobIsAbandonedAndItsResultNotCached() throws Exception {
        List<Runnable> timeouts = new CopyOnWriteArrayList<>();
        StatementClassifier classifier = new StatementClassifier(withTimeout(Duration.ofMillis(50)), queued::add,
                this::countingParser, (delayNanos, task) -> timeouts.add(task));
        CompletableFuture<Classification> first = classifier.classify(LOCKING_QUERY);
        timeouts.remove(0).run(); // only the first parse times out; the retry's timeout never fires
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(Classification.unparsed());

        runQueued();
        assertThat(parses).as("a job that starts after its timeout does not parse").hasValue(0);

        CompletableFuture<Classification> retry = classifier.classify(LOCKING_QUERY);
        assertThat(queued).as("the timeout was not cached, so the text is parsed again").hasSize(1);
        runQueued();
        assertThat(retry.join().reason()).isEqualTo(RouteReason.LOCKING_READ);
    }

    @Test
    void timeoutKeepsWhatTheLexerKnowsAboutOtherStatements() throws Exception {
        StatementClassifier classifier = classifier(withTimeout(Duration.ofMillis(50)), queued::add);

        Classification classification = classifier.classify("BEGIN; " + LOCKING_QUERY).get(5, TimeUnit.SECONDS);

        assertThat(classification.requiresPrimary()).isTrue();
        assertThat(classification.transaction()).isEqualTo(TransactionControl.BEGIN);
        assertThat(classification.kinds()).containsExactly(StatementKind.TRANSACTION, StatementKind.UTILITY);
    }

    @Test
    void timeoutRaisesTheInterruptFlagOfTheRunningParser() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<CCJSqlParser> running = new AtomicReference<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            StatementClassifier classifier = new StatementClassifier(withTimeout(Duration.ofMillis(500)), pool, sql -> {
                CCJSqlParser parser = new CCJSqlParser(new GatedProvider(sql, reading, release));
                running.set(parser);
                return parser;
            });

            CompletableFuture<Classification> result = classifier.classify(LOCKING_QUERY);
            assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(Classification.unparsed());
            assertThat(running.get().interrupted).isTrue();
        } finally {
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void rejectedParseRoutesToPrimaryImmediately() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), task -> {
            throw new RejectedExecutionException("saturated");
        });

        CompletableFuture<Classification> result = classifier.classify(LOCKING_QUERY);

        assertThat(result).isCompletedWithValue(Classification.unparsed());
    }

    @Test
    void veryLongTextIsClassifiedButNotCached() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);
        String bulkInsert = "INSERT INTO t VALUES " + "(1, 'x'), ".repeat(ClassificationCache.MAX_CACHED_SQL_LENGTH / 8)
                + "(2, 'y')";

        assertThat(classifier.classifyFast(bulkInsert).reason()).isEqualTo(RouteReason.WRITE);
        assertThat(classifier.classifyFast(bulkInsert).reason()).isEqualTo(RouteReason.WRITE);
        assertThat(classifier.cacheHits()).isZero();
        assertThat(classifier.cacheMisses()).isEqualTo(2);
    }

    @Test
    void reportsOneKindPerNonEmptyStatement() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);

        assertThat(classifier.classify("BEGIN; SELECT 1;; SET a = 1; CALL p(); DELETE FROM t; COMMIT;").join()
                .kinds()).containsExactly(StatementKind.TRANSACTION, StatementKind.READ, StatementKind.SESSION,
                StatementKind.UTILITY, StatementKind.WRITE, StatementKind.TRANSACTION);
        assertThat(classifier.classify(" ; -- nothing").join().kinds()).containsExactly(StatementKind.EMPTY);
    }

    @Test
    void emptyStringIsAReplicaSafeEmptyStatement() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);

        assertThat(classifier.classifyFast("")).isEqualTo(new Classification(false, RouteReason.READ,
                TransactionControl.NONE, List.of(StatementKind.EMPTY)));
    }

    @Test
    void usesTheConfiguredWriteFunctionsOnly() {
        RouterSettings settings = new RouterSettings(Set.of("audit_event", "app_*"), 100, Duration.ofSeconds(1));
        StatementClassifier classifier = classifier(settings, Runnable::run);

        assertThat(classifier.classifyFast("SELECT audit_event('login')").reason())
                .isEqualTo(RouteReason.VOLATILE_FUNCTION);
        assertThat(classifier.classifyFast("SELECT * FROM app_claim_job(1)").reason())
                .isEqualTo(RouteReason.VOLATILE_FUNCTION);
        assertThat(classifier.classifyFast("SELECT nextval('s')").requiresPrimary()).isFalse();
    }

    @Test
    void lexerFindsWriteFunctionWhereTheAstWalkDoesNot() {
        StatementClassifier classifier = classifier(RouterSettings.defaults(), Runnable::run);

        Classification classification =
                classifier.classify("SELECT substring(a[nextval('s')]::text from 1 for 2) FROM t").join();

        assertThat(parses).as("FOR sends the query to the parser").hasValue(1);
        assertThat(classification.reason()).isEqualTo(RouteReason.VOLATILE_FUNCTION);
    }

    /** Blocks the parser inside its first read, as a parse stuck in a pathological input would be. */
    private static final class GatedProvider implements Provider {
        private final StringProvider text;
        private final CountDownLatch reading;
        private final CountDownLatch release;

        GatedProvider(String sql, CountDownLatch reading, CountDownLatch release) {
            this.text = new StringProvider(sql);
            this.reading = reading;
            this.release = release;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws java.io.IOException {
            reading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
            return text.read(buffer, offset, length);
        }

        @Override
        public void close() throws java.io.IOException {
            text.close();
        }
    }
}
