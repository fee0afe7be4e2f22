package io.pgsplit.router;

import io.pgsplit.router.LexerDecision.Decided;

/**
 * The classifications of the last few query shapes a thread saw (see {@link LiteralShape}): pgbench's
 * {@code WHERE aid = 48213} after {@code WHERE aid = 7} costs one character walk instead of lexing and rules, and
 * the exact-text cache, which never sees such a text twice, stays free for texts that repeat. Not thread-safe:
 * each thread keeps its own, so a lookup takes no lock and allocates nothing.
 */
final class LiteralShapeMemo {

    /** Enough for the few shapes of a benchmark or a hot loop; a miss walks them all, so keep it small. */
    static final int CAPACITY = 8;

    private final LiteralShape[] shapes = new LiteralShape[CAPACITY];
    private final Classification[] classifications = new Classification[CAPACITY];
    /** Slots in use; they fill from 0, and then the oldest shape makes room (round robin). */
    private int size;
    private int next;
    /** The slot that answered last, tried first: a hot loop repeats one shape. */
    private int lastHit;

    /** The classification learnt for the shape of {@code sql}, or null. */
    Classification match(String sql) {
        int i = lastHit;
        for (int tried = 0; tried < size; tried++) {
            if (shapes[i].matches(sql)) {
                lastHit = i;
                return classifications[i];
            }
            i = i + 1 == size ? 0 : i + 1;
        }
        return null;
    }

    /** Keeps the shape of {@code sql} when its {@code classification} cannot depend on what its literals hold. */
    void learn(String sql, ClassificationPlan plan, Classification classification) {
        if (!literalInsensitive(plan, classification)) {
            return;
        }
        LiteralShape shape = LiteralShape.of(sql, plan.soleStatement());
        if (shape == null) {
            return;
        }
        shapes[next] = shape;
        classifications[next] = classification;
        next = (next + 1) % CAPACITY;
        if (size < CAPACITY) {
            size++;
        }
    }

    /**
     * A lone query with literals that {@link QueryRules} found to be a plain read calling nothing. Those rules
     * look at keywords and token types, never into a literal, so the same shape with other literals is the
     * same read. Everything else takes the full path each time: a call may take its meaning from its arguments
     * ({@code set_config('…', …)}), and writes, hints and parser verdicts are not worth the risk.
     */
    static boolean literalInsensitive(ClassificationPlan plan, Classification classification) {
        LexedStatement statement = plan.soleStatement();
        return statement != null && !plan.needsParser() && plan.hasInlineLiterals()
                && !statement.primaryHint() && !statement.unterminated()
                && QueryRules.startsQuery(statement, 0)
                && plan.decisions().get(0) instanceof Decided decided
                && StatementVerdict.READ.equals(decided.verdict())
                && plan.code().isEmpty()
                && !classification.requiresPrimary() && classification.functions().isEmpty()
                && classification.code().isEmpty();
    }
}
