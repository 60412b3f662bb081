package dev.strata.squashfs.tree;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Every user., trusted. and security. extended attribute below a directory on this Linux host, read
 * with one run of getfattr (Debian package attr): Java's attribute views reach the user. namespace
 * only, and file capabilities (security.capability), SELinux labels and overlayfs's trusted. marks
 * must survive into the image, as mksquashfs keeps them. Symbolic links and device nodes are read
 * without following them.
 */
final class HostXattrs {
    private final Map<String, SortedMap<String, byte[]>> byPath;

    private HostXattrs(Map<String, SortedMap<String, byte[]>> byPath) {
        this.byPath = byPath;
    }

    /**
     * Starts getfattr on dir, which reads the attributes while the caller goes on (a tree walk, say);
     * empty where getfattr cannot be used.
     */
    static Optional<Reading> start(Path dir) throws IOException {
        if (dir.getFileSystem() != FileSystems.getDefault() || !System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.empty();
        }
        Optional<Path> getfattr = onPath("getfattr");
        if (getfattr.isEmpty()) {
            return Optional.empty();
        }
        Path root = dir.toAbsolutePath();
        Process p = new ProcessBuilder(getfattr.get().toString(), "--no-dereference", "--physical", "--recursive",
                "--dump", "--match=-", "--encoding=base64", "--absolute-names", root.toString()).start();
        p.getOutputStream().close();
        return Optional.of(new Reading(dir, p, drain(p.getInputStream()), drain(p.getErrorStream())));
    }

    /** A getfattr run under way; its output is read by threads of its own so that neither pipe fills. */
    static final class Reading {
        private final Path dir;
        private final Process process;
        private final CompletableFuture<byte[]> out;
        private final CompletableFuture<byte[]> errors;

        private Reading(Path dir, Process process, CompletableFuture<byte[]> out, CompletableFuture<byte[]> errors) {
            this.dir = dir;
            this.process = process;
            this.out = out;
            this.errors = errors;
        }

        /** Waits for getfattr; its attributes, or the error it reported. */
        HostXattrs await() throws IOException {
            int status;
            try {
                status = process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading extended attributes below "
                        + dir.toAbsolutePath());
            }
            if (status != 0) {
                byte[] messages = errors.join();
                String text = messages == null ? "" : new String(messages, StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    // a file system without extended attributes simply has none
                    if (!line.isBlank() && !line.endsWith("Operation not supported")) {
                        throw new TreeLoadException(dir, "cannot read extended attributes: " + line.strip());
                    }
                }
            }
            byte[] dump = out.join();
            if (dump == null) {
                throw new TreeLoadException(dir, "cannot read extended attributes: getfattr's output was cut off");
            }
            return new HostXattrs(parse(new String(dump, StandardCharsets.ISO_8859_1)));
        }
    }

    /** The attributes of one entry (a path below the directory read). */
    SortedMap<String, byte[]> of(Path path) {
        String key = new String(PathNames.bytesOf(path.toAbsolutePath()), StandardCharsets.ISO_8859_1);
        SortedMap<String, byte[]> found = byPath.get(key);
        return found == null ? new TreeMap<>() : found;
    }

    /**
     * getfattr's dump: "# file: PATH" then NAME=0sBASE64 lines, a blank line after each file. PATH
     * and NAME are bytes (kept 1:1 in ISO-8859-1 chars here) in which getfattr wrote control
     * characters and backslashes as \ooo.
     */
    static Map<String, SortedMap<String, byte[]>> parse(String dump) {
        Map<String, SortedMap<String, byte[]>> byPath = new HashMap<>();
        SortedMap<String, byte[]> current = null;
        for (String line : dump.split("\n")) {
            if (line.startsWith("# file: ")) {
                current = new TreeMap<>();
                byPath.put(unescape(line.substring("# file: ".length())), current);
            } else if (!line.isEmpty() && current != null) {
                int eq = line.indexOf('=');
                String name = new String(unescape(eq < 0 ? line : line.substring(0, eq))
                        .getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : line.substring(eq + 1);
                if (XattrNames.isStorable(name)) {
                    current.put(name, value.startsWith("0s") ? Base64.getDecoder().decode(value.substring(2))
                            : new byte[0]);
                }
            }
        }
        return byPath;
    }

    /** \ooo escapes back to the bytes they stand for. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                b.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }

    /** All of a stream, read on a thread of its own; null when reading it failed. */
    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> all = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                all.complete(in.readAllBytes());
            } catch (IOException e) {
                all.complete(null);
            }
        }, "getfattr-output");
        t.setDaemon(true);
        t.start();
        return all;
    }

    private static Optional<Path> onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
