package io.pgsplit.router;

import io.pgsplit.router.LexerDecision.Decided;
import java.util.ArrayList;
import java.util.List;

/** The lexer's decisions for every statement of one SQL string, before any parsing. */
final class ClassificationPlan {

    private final List<LexerDecision> decisions;
    private final boolean needsParser;

    private ClassificationPlan(List<LexerDecision> decisions) {
        this.decisions = decisions;
        this.needsParser = decisions.stream().anyMatch(decision -> !(decision instanceof Decided));
    }

    /**
     * Lexes {@code sql} and decides each statement. Empty statements are dropped as the server drops them,
     * unless they carry the hint or an unterminated comment; an all-empty string is one EMPTY statement.
     */
    static ClassificationPlan of(String sql, KeywordRules rules) {
        List<LexedStatement> statements = SqlLexer.split(sql);
        List<LexerDecision> decisions = new ArrayList<>(statements.size());
        for (LexedStatement statement : statements) {
            if (!statement.isEmpty() || statement.primaryHint() || statement.unterminated()) {
                decisions.add(rules.decide(statement));
            }
        }
        if (decisions.isEmpty()) {
            decisions.add(new Decided(StatementVerdict.EMPTY));
        }
        return new ClassificationPlan(decisions);
    }

    boolean needsParser() {
        return needsParser;
    }

    List<LexerDecision> decisions() {
        return decisions;
    }

    /**
     * The classification without the parser: final when {@link #needsParser()} is false; otherwise the timeout
     * answer, in which the undecided statements go to the primary while the lexer's findings (BEGIN, COMMIT, ...)
     * still reach the proxy.
     */
    Classification withoutParser() {
        List<StatementVerdict> verdicts = new ArrayList<>(decisions.size());
        for (LexerDecision decision : decisions) {
            verdicts.add(decision instanceof Decided decided ? decided.verdict() : StatementVerdict.UNPARSED);
        }
        return ClassificationMerger.merge(verdicts);
    }
}
