package dev.strata.overlay.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian's cloud kernel (NVMe and ext4 built in; squashfs, overlay, loop, vfat as modules) and
 * busybox-static, fetched with apt-get download, unpacked with dpkg-deb and cached under
 * {@code $STRATA_TEST_CACHE} (default ~/.cache/strata-test). Tests skip when this cannot be had.
 */
public final class DebianBootKit {
    public final Path vmlinuz;
    public final Path modules;
    public final Path busybox;

    private DebianBootKit(Path vmlinuz, Path modules, Path busybox) {
        this.vmlinuz = vmlinuz;
        this.modules = modules;
        this.busybox = busybox;
    }

    private static DebianBootKit cached;
    private static String unavailable;

    public static Path cacheDir() {
        String env = System.getenv("STRATA_TEST_CACHE");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "strata-test");
    }

    /** The kit, or null with {@link #whyUnavailable()} set. */
    public static synchronized DebianBootKit get() {
        if (cached != null || unavailable != null) {
            return cached;
        }
        try {
            cached = fetch();
        } catch (Exception | AssertionError e) {
            unavailable = e.getMessage();
        }
        return cached;
    }

    public static String whyUnavailable() {
        return unavailable;
    }

    private static DebianBootKit fetch() throws IOException, InterruptedException {
        List<String> missing = HostTools.missing("apt-get", "apt-cache", "dpkg-deb");
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not a Debian host: missing " + missing);
        }
        Path dir = cacheDir().resolve("debian-boot");
        Path root = dir.resolve("root");
        Path done = dir.resolve("unpacked");
        if (!Files.exists(done)) {
            Files.createDirectories(dir);
            String deps = HostTools.run(dir, 120, "apt-cache", "depends", "linux-image-cloud-amd64")
                    .orFail("apt-cache depends linux-image-cloud-amd64").output();
            String kernelPkg = deps.lines().map(String::strip).filter(l -> l.startsWith("Depends: linux-image-"))
                    .map(l -> l.substring("Depends: ".length())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no linux-image-*-cloud-amd64 in apt's lists"
                            + " (run apt-get update)"));
            HostTools.run(dir, 600, "apt-get", "download", kernelPkg, "busybox-static")
                    .orFail("apt-get download " + kernelPkg + " busybox-static");
            Files.createDirectories(root);
            try (Stream<Path> debs = Files.list(dir)) {
                for (Path deb : (Iterable<Path>) debs.filter(p -> p.toString().endsWith(".deb")).sorted()::iterator) {
                    HostTools.run(dir, 300, "dpkg-deb", "-x", deb.toString(), root.toString()).orFail("dpkg-deb -x " + deb);
                    Files.delete(deb);
                }
            }
            Files.writeString(done, kernelPkg + "\n");
        }
        Path vmlinuz;
        try (Stream<Path> s = Files.list(root.resolve("boot"))) {
            vmlinuz = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no vmlinuz in " + root.resolve("boot")));
        }
        Path modules;
        try (Stream<Path> s = Files.list(root.resolve("lib/modules"))) {
            modules = s.findFirst().orElseThrow();
        }
        Path busybox = root.resolve("bin/busybox");
        if (!Files.isRegularFile(busybox)) {
            throw new IllegalStateException("busybox-static did not unpack to " + busybox);
        }
        return new DebianBootKit(vmlinuz, modules, busybox);
    }
}
