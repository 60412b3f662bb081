package dev.strata.squashfs.read;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs a host tool for what the JDK cannot do without opening a file (mknod, mkfifo, setting the
 * time of a fifo or device: the JDK opens the file, which blocks on a fifo) or cannot do at all
 * (trusted.* xattrs).
 */
public final class HostCommand {
    private HostCommand() {
    }

    /** Runs command; returns null on success, else one line saying why it failed. */
    public static String run(String... command) throws InterruptedIOException {
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

    /** Sets the modification time of p itself (never followed, never opened) with touch -h. */
    public static String setModifiedTime(java.nio.file.Path p, long seconds) throws InterruptedIOException {
        return run("touch", "-h", "-c", "-d", "@" + seconds, p.toString());
    }
}
