package dev.strata.squashfs.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the real-program tests need from the machine. Each check skips the test with the reason when
 * it is missing (not root, no loop devices, a tool not installed); CI runs as root with every tool,
 * so there these tests run for real.
 */
public final class TestEnvironment {
    private static final Map<String, Boolean> TOOLS = new ConcurrentHashMap<>();

    private TestEnvironment() {
    }

    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    public static boolean isRoot() {
        return isLinux() && uidIsZero();
    }

    /** The owner of /proc/self is the effective uid of this JVM. */
    private static boolean uidIsZero() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether an executable of that name is on PATH. */
    public static boolean hasTool(String name) {
        return TOOLS.computeIfAbsent(name, n -> {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, n))) {
                    return true;
                }
            }
            return false;
        });
    }

    public static void assumeTools(String... names) {
        assumeTrue(isLinux(), "needs Linux");
        for (String n : names) {
            assumeTrue(hasTool(n), () -> "needs '" + n + "' on PATH (Debian: squashfs-tools, squashfs-tools-ng, attr)");
        }
    }

    /** Root, loop devices and a kernel that knows squashfs: what `mount -t squashfs -o loop,ro` needs. */
    public static void assumeKernelMount() {
        Optional<String> missing = kernelMountMissing();
        assumeTrue(missing.isEmpty(), missing::get);
    }

    /** Why kernel mounts cannot run here, if they cannot (for jqwik's skip hook). */
    public static Optional<String> kernelMountMissing() {
        if (!isLinux()) {
            return Optional.of("kernel mount tests need Linux");
        }
        if (!isRoot()) {
            return Optional.of("kernel mount tests need root (loop-mounting a squashfs image)");
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return Optional.of("kernel mount tests need loop devices (/dev/loop-control)");
        }
        if (!kernelKnowsSquashfs()) {
            return Optional.of("the running kernel has no squashfs support (/proc/filesystems)");
        }
        return toolsMissing("mount", "umount", "losetup", "getfattr");
    }

    /** Why these tools cannot run, if one is missing. */
    public static Optional<String> toolsMissing(String... names) {
        if (!isLinux()) {
            return Optional.of("needs Linux");
        }
        for (String n : names) {
            if (!hasTool(n)) {
                return Optional.of("needs '" + n + "' on PATH (Debian: squashfs-tools, squashfs-tools-ng, attr)");
            }
        }
        return Optional.empty();
    }

    /** Root: the tests that make device nodes, chown files or set trusted.* xattrs. */
    public static void assumeRoot(String why) {
        assumeTrue(isLinux() && isRoot(), () -> "needs root: " + why);
    }

    private static boolean kernelKnowsSquashfs() {
        try {
            if (Files.readString(Path.of("/proc/filesystems")).contains("squashfs")) {
                return true;
            }
            // a modular kernel lists it only once loaded
            return hasTool("modprobe") && ExternalCommand.run(java.util.List.of("modprobe", "squashfs")).exitCode() == 0
                    && Files.readString(Path.of("/proc/filesystems")).contains("squashfs");
        } catch (IOException e) {
            return false;
        }
    }
}
