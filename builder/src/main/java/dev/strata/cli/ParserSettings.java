package dev.strata.cli;

import picocli.CommandLine;

/**
 * A command whose arguments need parser settings other than Strata's defaults (for instance the
 * mksquashfs-compatible create, which takes -X options picocli does not know). StrataCli applies
 * them to that command only.
 */
public interface ParserSettings {
    void configure(CommandLine commandLine);
}
