package dev.strata.cli;

import dev.strata.sources.Accounts;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Runs the strata CLI in-process with captured output and a fixed environment. */
public final class CliRun {
    public static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    public static final Accounts ACCOUNTS = Accounts.of(Map.of("root", 0, "builder", 1000), Map.of("root", 0, "users", 100));

    public final int status;
    public final String out;
    public final String err;

    private CliRun(int status, String out, String err) {
        this.status = status;
        this.out = out;
        this.err = err;
    }

    public static CliContext context(Map<String, String> env, String stdin) {
        return context(env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    public static CliContext context(Map<String, String> env, byte[] stdin) {
        return new CliContext(env, Clock.fixed(NOW, ZoneOffset.UTC), ACCOUNTS, new ByteArrayInputStream(stdin));
    }

    public static CliRun run(String... args) {
        return run(Map.of(), args);
    }

    public static CliRun run(Map<String, String> env, String... args) {
        return runWithInput(env, new byte[0], args);
    }

    /** Runs with stdin as standard input (a tar archive for squashfs create -tar, say). */
    public static CliRun runWithInput(Map<String, String> env, byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = StrataCli.execute(context(env, stdin), new PrintWriter(out, true), new PrintWriter(err, true),
                args);
        return new CliRun(status, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
}
