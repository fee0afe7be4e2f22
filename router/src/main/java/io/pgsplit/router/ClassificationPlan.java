package io.pgsplit.router;

import io.pgsplit.router.LexerDecision.Decided;
import java.util.ArrayList;
import java.util.List;

/** The lexer's decisions for every statement of one SQL string, before any parsing. */
final class ClassificationPlan {

    private final List<LexerDecision> decisions;
    private final boolean needsParser;
    private final boolean inlineLiterals;
    private final CodeCalls code;
    private final LexedStatement soleStatement;

    private ClassificationPlan(List<LexerDecision> decisions, boolean inlineLiterals, CodeCalls code,
                               LexedStatement soleStatement) {
        this.decisions = decisions;
        this.code = code;
        this.needsParser = anyUndecided(decisions);
        this.inlineLiterals = inlineLiterals;
        this.soleStatement = soleStatement;
    }

    /**
     * Lexes {@code sql} and decides each statement. Empty statements are dropped as the server drops them,
     * unless they carry the hint or an unterminated comment; an all-empty string is one EMPTY statement.
     */
    static ClassificationPlan of(String sql, KeywordRules rules) {
        List<LexedStatement> statements = SqlLexer.split(sql);
        List<LexerDecision> decisions = new ArrayList<>(statements.size());
        boolean inlineLiterals = false;
        CodeCalls code = CodeCalls.NONE;
        LexedStatement decided = null;
        for (int i = 0; i < statements.size(); i++) {
            LexedStatement statement = statements.get(i);
            if (!statement.isEmpty() || statement.primaryHint() || statement.unterminated()) {
                decisions.add(rules.decide(statement));
                code = code.and(ExecutedCode.of(statement));
                decided = statement;
            }
            inlineLiterals |= hasInlineLiteral(statement);
        }
        if (decisions.isEmpty()) {
            decisions.add(new Decided(StatementVerdict.EMPTY));
        }
        LexedStatement sole = decisions.size() == 1 && decided != null && !decided.isEmpty() ? decided : null;
        return new ClassificationPlan(decisions, inlineLiterals, code, sole);
    }

    private static boolean anyUndecided(List<LexerDecision> decisions) {
        for (int i = 0; i < decisions.size(); i++) {
            if (!(decisions.get(i) instanceof Decided)) {
                return true;
            }
        }
        return false;
    }

    /** A number or string written into the text, as opposed to a {@code $n} parameter. */
    private static boolean hasInlineLiteral(LexedStatement statement) {
        for (int i = 0; i < statement.tokenCount(); i++) {
            if (statement.type(i) == TokenType.LITERAL && !statement.isParameter(i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the text carries values inline ({@code WHERE aid = 42}): such text is rarely sent twice
     * verbatim, so a cache entry for it is an insert and an eviction that nothing reuses.
     */
    boolean hasInlineLiterals() {
        return inlineLiterals;
    }

    /** The one statement that was decided, when the string holds exactly one non-empty statement; else null. */
    LexedStatement soleStatement() {
        return soleStatement;
    }

    boolean needsParser() {
        return needsParser;
    }

    List<LexerDecision> decisions() {
        return decisions;
    }

    /** The code the string runs (see {@link Classification#code()}). */
    CodeCalls code() {
        return code;
    }

    /**
     * The classification without the parser: final when {@link #needsParser()} is false; otherwise the timeout
     * answer, in which the undecided statements go to the primary while the lexer's findings (BEGIN, COMMIT, ...)
     * still reach the proxy.
     */
    Classification withoutParser() {
        if (decisions.size() == 1 && decisions.get(0) instanceof Decided decided) {
            return decided.verdict().alone().withCode(code);
        }
        List<StatementVerdict> verdicts = new ArrayList<>(decisions.size());
        for (LexerDecision decision : decisions) {
            verdicts.add(decision instanceof Decided decided ? decided.verdict() : StatementVerdict.UNPARSED);
        }
        return ClassificationMerger.merge(verdicts).withCode(code);
    }
}
