package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** squashfs-tools' unsquashfs, the reference reader, for checking what create wrote. */
final class Unsquashfs {
    private Unsquashfs() {
    }

    static void assumeInstalled() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            found |= Files.isExecutable(Path.of(dir, "unsquashfs"));
        }
        assumeTrue(found, "unsquashfs (Debian package squashfs-tools) is not installed");
    }

    /** unsquashfs -lln (numeric owners): one line per entry. */
    static List<String> listing(Path image) throws IOException, InterruptedException {
        return run("unsquashfs", "-lln", "-UTC", image.toString());
    }

    /**
     * The listing's entries as "MODE UID/GID PATH", PATH from the image's root ("/" for it): the
     * columns that say what an option did to the tree.
     */
    static List<String> modesOwnersPaths(Path image) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (String line : listing(image)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6) {
                out.add(f[0] + " " + f[1] + " " + f[f.length - 1].replaceFirst("^squashfs-root/?", "/"));
            }
        }
        return out;
    }

    /** unsquashfs -s: the superblock summary. */
    static String stat(Path image) throws IOException, InterruptedException {
        return String.join("\n", run("unsquashfs", "-s", image.toString()));
    }

    static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + text);
        }
        return new ArrayList<>(text.lines().toList());
    }
}
