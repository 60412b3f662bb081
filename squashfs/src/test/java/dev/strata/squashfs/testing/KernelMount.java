package dev.strata.squashfs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An image loop-mounted read-only by the Linux kernel: the strongest check of a writer, since the
 * kernel's squashfs driver is what a device boots with. Close it in a finally (try-with-resources):
 * it unmounts, makes sure the loop device was released and removes the mount point.
 */
public final class KernelMount implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Path image;
    private final Path mountPoint;
    private boolean mounted;

    private KernelMount(Path image, Path mountPoint) {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /**
     * Mounts image on a fresh directory under parent with {@code mount -t squashfs -o loop,ro}; fails
     * the test with mount's message and the kernel log tail when the kernel refuses the image.
     */
    public static KernelMount mount(Path image, Path parent) throws IOException {
        Path mountPoint = Files.createDirectory(parent.resolve("mnt-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet()));
        KernelMount m = new KernelMount(image.toAbsolutePath(), mountPoint.toAbsolutePath());
        ExternalCommand.Result r = ExternalCommand.run(List.of("mount", "-t", "squashfs", "-o", "loop,ro",
                m.image.toString(), m.mountPoint.toString()));
        if (r.exitCode() != 0) {
            m.releaseLoopDevices();
            Files.deleteIfExists(mountPoint);
            throw new AssertionError("the kernel refused the image " + image + ":\n" + r.describe()
                    + "\nkernel log:\n" + kernelLogTail());
        }
        m.mounted = true;
        return m;
    }

    public Path root() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException {
        try {
            if (mounted) {
                ExternalCommand.Result r = ExternalCommand.run(List.of("umount", mountPoint.toString()));
                if (r.exitCode() != 0) {
                    // never leave a mount behind: detach lazily, it goes once the last user is gone
                    ExternalCommand.run(List.of("umount", "-l", mountPoint.toString()));
                }
                mounted = false;
            }
        } finally {
            releaseLoopDevices();
            Files.deleteIfExists(mountPoint);
        }
    }

    /** mount -o loop sets autoclear, so this is normally a no-op; it guards against a leaked loop device. */
    private void releaseLoopDevices() {
        ExternalCommand.Result r = ExternalCommand.run(List.of("losetup", "-j", image.toString()));
        for (String line : r.stdoutText().split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.startsWith("/dev/loop")) {
                ExternalCommand.run(List.of("losetup", "-d", line.substring(0, colon)));
            }
        }
    }

    private static String kernelLogTail() {
        ExternalCommand.Result r = ExternalCommand.run(List.of("dmesg"));
        String[] lines = r.stdoutText().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, lines.length - 200); i < lines.length; i++) {
            if (lines[i].contains("squashfs") || lines[i].contains("SQUASHFS") || i >= lines.length - 5) {
                sb.append(lines[i]).append('\n');
            }
        }
        return sb.toString();
    }
}
