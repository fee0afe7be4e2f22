package io.pgsplit.proxy.cli;

import io.pgsplit.proxy.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to exit codes: a bad configuration is a usage error (2) reported as the one line naming the bad
 * key; anything else is a runtime failure (1) logged with its stack trace.
 */
final class CommandFailureHandler implements IExecutionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(CommandFailureHandler.class);

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        if (failure instanceof ConfigException) {
            commandLine.getErr().println("error: " + failure.getMessage());
            return ExitCode.USAGE;
        }
        log.error("{} failed", commandLine.getCommandName(), failure);
        commandLine.getErr().println("error: " + failure);
        return ExitCode.SOFTWARE;
    }
}
