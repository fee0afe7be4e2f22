package io.pgsplit.router;

import io.pgsplit.router.LexerDecision.Decided;
import io.pgsplit.router.LexerDecision.NeedsParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs JSqlParser, on the parser executor, over the statements of one SQL string the lexer could not decide,
 * and completes the shared result. A job that lost the race against the parse timeout is abandoned: it stops
 * before its next statement and raises JSqlParser's {@code interrupted} flag, which the generated parser
 * polls in its expression loops, so a pathological parse does not occupy an executor thread indefinitely.
 */
final class ParseJob implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ParseJob.class);

    private final List<LexerDecision> decisions;
    private final CodeCalls code;
    private final Function<String, CCJSqlParser> parserFactory;
    private final AstClassifier astClassifier;
    private final CompletableFuture<Classification> result;
    private volatile boolean abandoned;
    private volatile CCJSqlParser running;

    ParseJob(List<LexerDecision> decisions, CodeCalls code, Function<String, CCJSqlParser> parserFactory,
             AstClassifier astClassifier, CompletableFuture<Classification> result) {
        this.decisions = decisions;
        this.code = code;
        this.parserFactory = parserFactory;
        this.astClassifier = astClassifier;
        this.result = result;
    }

    @Override
    public void run() {
        List<StatementVerdict> verdicts = new ArrayList<>(decisions.size());
        for (LexerDecision decision : decisions) {
            if (abandoned) {
                return;
            }
            verdicts.add(decision instanceof Decided decided ? decided.verdict() : parse((NeedsParser) decision));
        }
        result.complete(ClassificationMerger.merge(verdicts).withCode(code));
    }

    /** Called once the result was settled without this job; safe from any thread. */
    void abandon() {
        abandoned = true;
        CCJSqlParser parser = running;
        if (parser != null) {
            parser.interrupted = true;
        }
    }

    private StatementVerdict parse(NeedsParser request) {
        try {
            CCJSqlParser parser = parserFactory.apply(request.sql());
            running = parser;
            if (abandoned) {
                return StatementVerdict.UNPARSED;
            }
            Statement statement = parser.Statement();
            // Statement() stops after the first statement it recognises; trailing tokens mean it misread the text.
            if (parser.getNextToken().kind != CCJSqlParserConstants.EOF) {
                log.debug("JSqlParser left tokens unparsed in: {}", request.sql());
                return StatementVerdict.UNPARSED;
            }
            return request.refine(astClassifier.classify(statement));
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            // RuntimeException: JSqlParser's TokenMgrException and the AST walker's unsupported-node errors.
            // StackOverflowError: deeply nested input exhausts the recursive-descent parser's stack.
            log.debug("JSqlParser could not parse: {}", request.sql(), e);
            return StatementVerdict.UNPARSED;
        } finally {
            running = null;
        }
    }
}
