package io.pgsplit.bench;

import io.pgsplit.router.Classification;
import io.pgsplit.router.RouterSettings;
import io.pgsplit.router.StatementClassifier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What classifying a statement costs on the event loop: a cache hit (every repeated statement),
 * and, for contrast, the full JSqlParser path that only a cache miss pays, off the loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassifierBenchmark {
    private static final String PGBENCH_SELECT = "SELECT abalance FROM pgbench_accounts WHERE aid = $1";
    private static final String JOIN = "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id "
            + "WHERE o.created_at > now() - interval '1 day' AND c.region = $1 ORDER BY o.id LIMIT 50";

    private ExecutorService parser;
    private StatementClassifier classifier;
    private int miss;

    @Setup
    public void setUp() {
        parser = Executors.newSingleThreadExecutor();
        classifier = new StatementClassifier(RouterSettings.defaults(), parser);
        classifier.classify(PGBENCH_SELECT).join();
        classifier.classify(JOIN).join();
    }

    @TearDown
    public void tearDown() {
        parser.shutdownNow();
    }

    @Benchmark
    public Classification cacheHitPgbenchSelect() {
        return classifier.classifyFast(PGBENCH_SELECT);
    }

    @Benchmark
    public Classification cacheHitJoin() {
        return classifier.classifyFast(JOIN);
    }

    /**
     * pgbench -S in simple mode: every text is new (the literal changes), so the cache never hits; the
     * thread's shape memo answers after the first sighting. What each simple-protocol read costs on the loop.
     */
    @Benchmark
    public Classification uniqueLiteralSelect() {
        return classifier.classifyFast("SELECT abalance FROM pgbench_accounts WHERE aid = " + (miss++) + ";");
    }

    /**
     * The same with a function call, which the memo never learns (a call may depend on its arguments): the
     * lexer and the rules decide every time.
     */
    @Benchmark
    public Classification uniqueLiteralSelectLexed() {
        return classifier.classifyFast("SELECT lower(filler) FROM pgbench_accounts WHERE aid = " + (miss++) + ";");
    }

    /** A statement never seen before: lexer, then JSqlParser (on the parser thread) and the cache insert. */
    @Benchmark
    public Classification cacheMissJoin() {
        return classifier.classify(JOIN + " /* " + (miss++) + " */").join();
    }
}
