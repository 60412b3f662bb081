package dev.strata.overlay.merge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real kernel mounts for differential tests: loop-mounted squashfs lowers and an overlay on top. */
final class KernelMounts implements AutoCloseable {
    /** How the overlay is mounted: as Strata's devices do, so that changing the lower offline stays defined. */
    static final String OVERLAY_OPTIONS = "index=off,metacopy=off,redirect_dir=off";

    private final Deque<Path> mounted = new ArrayDeque<>();

    /** Why kernel tests cannot run here, or null when they can (root, squashfs, overlay, loop). */
    static String unavailableReason(Path scratch, java.util.function.Consumer<Path> writeTinyImage) {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!Integer.valueOf(0).equals(uid)) {
                return "needs root to mount squashfs and overlay (uid " + uid + ")";
            }
            Path img = scratch.resolve("probe.sqfs");
            writeTinyImage.accept(img);
            try (KernelMounts m = new KernelMounts()) {
                Path l = Files.createDirectories(scratch.resolve("probe-l"));
                m.mountSquashfs(img, l);
                Path u = Files.createDirectories(scratch.resolve("probe-u"));
                Path w = Files.createDirectories(scratch.resolve("probe-w"));
                Path o = Files.createDirectories(scratch.resolve("probe-m"));
                m.mountOverlay(List.of(l), u, w, o, false);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot mount squashfs + overlay here: " + e.getMessage();
        }
    }

    void mountSquashfs(Path image, Path at) throws IOException {
        run("mount", "-t", "squashfs", "-o", "loop,ro,nodev", image.toString(), at.toString());
        mounted.push(at);
    }

    void mountOverlay(List<Path> lowersTopFirst, Path upper, Path work, Path at, boolean readOnly) throws IOException {
        mountOverlay(lowersTopFirst, upper, work, at, readOnly, false);
    }

    void mountOverlay(List<Path> lowersTopFirst, Path upper, Path work, Path at, boolean readOnly, boolean userxattr)
            throws IOException {
        StringBuilder lower = new StringBuilder();
        for (Path l : lowersTopFirst) {
            lower.append(lower.length() == 0 ? "" : ":").append(l);
        }
        String opts = (readOnly ? "ro," : "") + "nodev,lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work
                + "," + (userxattr ? "index=off,metacopy=off,redirect_dir=nofollow,userxattr" : OVERLAY_OPTIONS);
        run("mount", "-t", "overlay", "overlay", "-o", opts, at.toString());
        mounted.push(at);
    }

    /** An overlay mounted with explicit options (for scenarios outside Strata's own mount options). */
    void mountOverlayWith(String lowerdir, Path upper, Path work, Path at, String options) throws IOException {
        run("mount", "-t", "overlay", "overlay", "-o", "nodev,lowerdir=" + lowerdir + ",upperdir=" + upper
                + ",workdir=" + work + "," + options, at.toString());
        mounted.push(at);
    }

    void unmount(Path at) throws IOException {
        if (mounted.remove(at)) {
            run("umount", at.toString());
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        while (!mounted.isEmpty()) {
            Path p = mounted.pop();
            try {
                run("umount", p.toString());
            } catch (IOException e) {
                try {
                    run("umount", "-l", p.toString());
                } catch (IOException e2) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String text = new String(out, StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    static List<String> lines(String s) {
        return s.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(s.split("\n")));
    }
}
