package dev.strata.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into one "strata: error: ..." line on standard error; stack traces only with
 * --debug. Exit status 2 for a command line that cannot be used, 1 for a failure while running.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int FAILURE = 1;
    static final int USAGE = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (debug(parseResult)) {
            ex.printStackTrace(err);
        }
        err.println("strata: error: " + OneLine.of(describe(ex)));
        err.flush();
        return FAILURE;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (debug(cmd.getParseResult())) {
            ex.printStackTrace(err);
        }
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException unmatched && !cmd.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty()) {
            message = "unknown command '" + unmatched.getUnmatched().get(0) + "' (one of: "
                    + String.join(", ", cmd.getSubcommands().keySet()) + ")";
        }
        err.println("strata: error: " + OneLine.of(message));
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    private static boolean debug(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** One line naming what failed and why. */
    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null) {
            ex = u.getCause();
        }
        if (ex instanceof FileSystemException fs && fs.getFile() != null) {
            String reason = ex instanceof NoSuchFileException ? "no such file or directory"
                    : ex instanceof AccessDeniedException ? "permission denied"
                    : ex instanceof NotDirectoryException ? "not a directory"
                    : ex instanceof FileAlreadyExistsException ? "already exists"
                    : ex instanceof DirectoryNotEmptyException ? "directory not empty"
                    : fs.getReason() != null ? fs.getReason() : ex.getClass().getSimpleName();
            return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": " + reason;
        }
        String message = ex.getMessage();
        if ((ex instanceof IOException || ex instanceof IllegalArgumentException) && message != null) {
            return message;
        }
        return "internal error: " + ex + " (run with --debug for the stack trace, and please report it)";
    }
}
