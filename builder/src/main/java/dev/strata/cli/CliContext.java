package dev.strata.cli;

import dev.strata.sources.Accounts;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;

/**
 * What the commands take from the process around them, passed in so tests can run the CLI in-process.
 *
 * @param environment      environment variables (SOURCE_DATE_EPOCH)
 * @param clock            "now" for the times mksquashfs stamps with the current time
 * @param accounts         user and group names for -force-uid, -force-gid and pseudo definitions
 * @param stdin            standard input (-pf -)
 */
public record CliContext(Map<String, String> environment, Clock clock, Accounts accounts, InputStream stdin) {

    public static CliContext system() {
        return new CliContext(System.getenv(), Clock.systemUTC(), Accounts.host(), System.in);
    }
}
