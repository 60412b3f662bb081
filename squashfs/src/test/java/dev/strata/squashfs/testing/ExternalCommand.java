package dev.strata.squashfs.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real program (mount, unsquashfs, sqfsdiff, a shell script) with a time limit and captures
 * its output as bytes: file names in listings are raw bytes, not text. The environment is pinned to
 * the C locale and UTC so listings and dates do not depend on the machine.
 */
public final class ExternalCommand {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private ExternalCommand() {
    }

    /** What a finished program left behind. */
    public record Result(List<String> command, int exitCode, byte[] stdout, byte[] stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.ISO_8859_1);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.ISO_8859_1);
        }

        /** The command, exit code and (shortened) output, for assertion messages. */
        public String describe() {
            return String.join(" ", command) + " exited " + exitCode + "\nstdout:\n" + shorten(stdoutText())
                    + "\nstderr:\n" + shorten(stderrText());
        }

        private static String shorten(String s) {
            return s.length() <= 6000 ? s : s.substring(0, 3000) + "\n[...]\n" + s.substring(s.length() - 3000);
        }
    }

    public static Result run(List<String> command) {
        return run(command, DEFAULT_TIMEOUT);
    }

    public static Result run(List<String> command, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("LC_ALL", "C");
        env.put("TZ", "UTC");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(List.copyOf(command), p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** Runs the command and fails the test with its output unless it exits 0. */
    public static Result runChecked(List<String> command) {
        Result r = run(command);
        if (r.exitCode() != 0) {
            throw new AssertionError(r.describe());
        }
        return r;
    }

    public static Result runChecked(String... command) {
        return runChecked(List.of(command));
    }

    /** One thread per stream: the common pool has a single thread on 2 cores and would deadlock. */
    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                result.complete(buf.toByteArray());
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        }, "external-command-output");
        t.setDaemon(true);
        t.start();
        return result;
    }
}
