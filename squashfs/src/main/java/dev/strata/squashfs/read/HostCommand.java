package dev.strata.squashfs.read;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs a host tool for what the JDK cannot do at all (setfattr, for xattrs outside user.*);
 * device nodes and fifos are made by {@link SpecialNodeBatch}.
 */
final class HostCommand {
    private HostCommand() {
    }

    /** Runs command; returns null on success, else one line saying why it failed. */
    static String run(String... command) throws InterruptedIOException {
        try {
            Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return proc.waitFor() == 0 ? null : command[0] + " failed: " + out;
        } catch (IOException e) {
            return "cannot run " + command[0] + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException("interrupted while running " + command[0]);
            x.initCause(e);
            throw x;
        }
    }
}
