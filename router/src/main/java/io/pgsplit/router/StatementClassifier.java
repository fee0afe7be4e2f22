package io.pgsplit.router;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * Decides whether SQL text may run on a replica.
 *
 * <p>Four tiers, cheapest first: the cache; a per-thread {@link LiteralShapeMemo}, which answers a text that
 * differs from a recently lexed plain read only inside simple literals ({@code WHERE aid = 42}) with one
 * character walk; {@link SqlLexer} plus {@link KeywordRules}, which settle almost everything from keywords and
 * tokens without blocking; and JSqlParser, which runs only on the parser executor and only for queries whose
 * tokens contain INTO, FOR, INSERT, UPDATE, DELETE or MERGE. Every answer errs toward the primary. From the text
 * alone, function calls are judged by the configured deny-list; the calls of a statement that may still run on a
 * replica are kept in its {@link Classification#functions()} for {@link io.pgsplit.router.catalog.CatalogRouting}
 * to judge against the database's catalog. What the cache and the memo keep never depends on the catalog, so a
 * catalog refresh cannot leave a stale answer in them.
 */
public final class StatementClassifier {

    private final KeywordRules rules;
    private final AstClassifier astClassifier = new AstClassifier();
    private final ClassificationCache cache;
    private final Executor parserExecutor;
    private final long parseTimeoutNanos;
    private final Function<String, CCJSqlParser> parserFactory;
    private final TimeoutScheduler timeouts;
    private final Planner planner;
    /** Per thread and per classifier, so that a reloaded configuration starts with an empty memo. */
    private final ThreadLocal<LiteralShapeMemo> memos = ThreadLocal.withInitial(LiteralShapeMemo::new);
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** Runs a task after a delay, on a thread of its own choosing. */
    @FunctionalInterface
    interface TimeoutScheduler {
        void after(long delayNanos, Runnable task);
    }

    /** Lexes a text and decides its statements: {@link ClassificationPlan#of}, or a test's count of lexer runs. */
    @FunctionalInterface
    interface Planner {
        ClassificationPlan plan(String sql, KeywordRules rules);
    }

    /** The JDK's timer thread itself runs the task: a saturated parser executor must not delay a timeout. */
    private static final TimeoutScheduler JDK_TIMER = (delayNanos, task) ->
            CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, Runnable::run).execute(task);

    public StatementClassifier(RouterSettings settings, Executor parserExecutor) {
        // Not CCJSqlParserUtil.parse(String): it starts a thread per call to enforce its own timeout.
        this(settings, parserExecutor, CCJSqlParserUtil::newParser);
    }

    /** {@code parserFactory} lets tests observe how often the parser runs. */
    StatementClassifier(RouterSettings settings, Executor parserExecutor,
                        Function<String, CCJSqlParser> parserFactory) {
        this(settings, parserExecutor, parserFactory, JDK_TIMER);
    }

    /** {@code timeouts} lets tests decide when a parse times out. */
    StatementClassifier(RouterSettings settings, Executor parserExecutor,
                        Function<String, CCJSqlParser> parserFactory, TimeoutScheduler timeouts) {
        this(settings, parserExecutor, parserFactory, timeouts, ClassificationPlan::of);
    }

    /** {@code planner} lets tests observe how often the lexer runs. */
    StatementClassifier(RouterSettings settings, Executor parserExecutor,
                        Function<String, CCJSqlParser> parserFactory, TimeoutScheduler timeouts, Planner planner) {
        this.timeouts = timeouts;
        this.planner = planner;
        this.rules = new KeywordRules(new WriteFunctionMatcher(settings.writeFunctions()));
        this.cache = new ClassificationCache(settings.cacheMaxEntries());
        this.parserExecutor = Objects.requireNonNull(parserExecutor, "parserExecutor");
        this.parseTimeoutNanos = settings.parseTimeout().toNanos();
        this.parserFactory = parserFactory;
    }

    /**
     * Non-blocking. Returns the classification when the cache or the thread's shape memo holds it or the lexer
     * alone decides it; null when the parser is needed (then call {@link #classify}). Counts a hit when the
     * cache or the memo answers, a miss when the lexer has to run.
     */
    public Classification classifyFast(String sql) {
        Classification known = cache.completed(sql);
        if (known != null) {
            hits.increment();
            return known;
        }
        // After the cache: what it holds never matches a shape (no inline literal, or a parser verdict), and
        // walking the shapes first would tax every parameterised statement for nothing.
        LiteralShapeMemo memo = memos.get();
        known = memo.match(sql);
        if (known != null) {
            hits.increment();
            return known;
        }
        misses.increment();
        ClassificationPlan plan = planner.plan(sql, rules);
        if (plan.needsParser()) {
            return null;
        }
        Classification classification = decidedByLexer(sql, plan);
        memo.learn(sql, plan, classification);
        return classification;
    }

    /**
     * Completes, possibly immediately, with the classification. JSqlParser runs on the parser executor, bounded
     * by the parse timeout; a timeout or a rejected task routes the undecided statements to the primary and is
     * not cached, so a later sighting parses again. Never completes exceptionally. Counts no hit or miss.
     * A pending future completes on a parser-executor or JDK timer thread: continue on the event loop.
     */
    public CompletableFuture<Classification> classify(String sql) {
        CompletableFuture<Classification> known = cache.peek(sql);
        if (known != null) {
            // A copy, so that a caller cancelling its future cannot poison the shared entry.
            return known.copy();
        }
        ClassificationPlan plan = planner.plan(sql, rules);
        return plan.needsParser() ? parse(sql, plan) : CompletableFuture.completedFuture(decidedByLexer(sql, plan));
    }

    /** Whether the classification of {@code sql} is cached and finished now; counts nothing, changes nothing. */
    public boolean isCached(String sql) {
        CompletableFuture<Classification> entry = cache.peek(sql);
        return entry != null && entry.isDone();
    }

    /** Fast-path answers from the cache or a thread's shape memo, without lexing. */
    public long cacheHits() {
        return hits.sum();
    }

    /** Fast-path calls that had to lex. */
    public long cacheMisses() {
        return misses.sum();
    }

    /**
     * Text with inline values is not cached when the lexer alone decided it: deciding it again costs
     * about as much as the insert and eviction it would take (pgbench -S in simple mode spent half its
     * classification time in cache maintenance), and its entries would push out texts that repeat; the shape
     * memo answers the common case of such texts instead. Parser results are always cached: a parse costs several
     * times more, and runs off the loop.
     */
    private Classification decidedByLexer(String sql, ClassificationPlan plan) {
        Classification classification = plan.withoutParser();
        if (!plan.hasInlineLiterals()) {
            cache.putCompleted(sql, classification);
        }
        return classification;
    }

    private CompletableFuture<Classification> parse(String sql, ClassificationPlan plan) {
        CompletableFuture<Classification> result = new CompletableFuture<>();
        CompletableFuture<Classification> earlier = cache.claim(sql, result);
        if (earlier != null) {
            return earlier.copy();
        }
        ParseJob job = new ParseJob(plan.decisions(), plan.code(), parserFactory, astClassifier, result);
        Runnable giveUp = () -> {
            if (!result.isDone()) {
                // Abandon and forget before completing, so whoever sees the fallback also sees a free cache slot.
                job.abandon();
                cache.forget(sql, result);
                result.complete(plan.withoutParser());
            }
        };
        timeouts.after(parseTimeoutNanos, giveUp);
        try {
            parserExecutor.execute(job);
        } catch (RejectedExecutionException e) {
            giveUp.run();
        }
        return result.copy();
    }
}
