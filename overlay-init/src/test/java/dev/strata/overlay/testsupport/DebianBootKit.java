package dev.strata.overlay.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Debian kernel and busybox-static, fetched with apt-get download, unpacked with dpkg-deb and
 * cached under {@code $STRATA_TEST_CACHE} (default ~/.cache/strata-test). Tests skip when this
 * cannot be had. Two kits:
 * <ul>
 * <li>{@link #get()}: amd64, the cloud kernel (NVMe and ext4 built in; squashfs, overlay, loop,
 * vfat as modules);</li>
 * <li>{@link #armhf()}: armhf, the armmp kernel with its DTBs, for {@code qemu-system-arm -M
 * raspi2b} (MMC core built in; the SD host drivers, squashfs, overlay, loop, ext4 and vfat are
 * modules).</li>
 * </ul>
 */
public final class DebianBootKit {
    public final Path vmlinuz;
    public final Path modules;
    public final Path busybox;
    /** The unpacked packages (boot/, lib/modules/, usr/lib/linux-image-*, bin/busybox). */
    public final Path root;

    private DebianBootKit(Path vmlinuz, Path modules, Path busybox, Path root) {
        this.vmlinuz = vmlinuz;
        this.modules = modules;
        this.busybox = busybox;
        this.root = root;
    }

    private record Flavour(String directory, String architecture, String kernelMetaPackage) {
    }

    private static final Flavour CLOUD_AMD64 = new Flavour("debian-boot", null, "linux-image-cloud-amd64");
    private static final Flavour ARMMP_ARMHF = new Flavour("debian-armhf", "armhf", "linux-image-armmp");

    private static DebianBootKit cached;
    private static String unavailable;
    private static DebianBootKit cachedArmhf;
    private static String unavailableArmhf;

    public static Path cacheDir() {
        String env = System.getenv("STRATA_TEST_CACHE");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "strata-test");
    }

    /** The amd64 kit, or null with {@link #whyUnavailable()} set. */
    public static synchronized DebianBootKit get() {
        if (cached != null || unavailable != null) {
            return cached;
        }
        try {
            cached = fetch(CLOUD_AMD64);
        } catch (Exception | AssertionError e) {
            unavailable = e.getMessage();
        }
        return cached;
    }

    public static String whyUnavailable() {
        return unavailable;
    }

    /** The armhf kit, or null with {@link #whyArmhfUnavailable()} set. */
    public static synchronized DebianBootKit armhf() {
        if (cachedArmhf != null || unavailableArmhf != null) {
            return cachedArmhf;
        }
        try {
            cachedArmhf = fetch(ARMMP_ARMHF);
        } catch (Exception | AssertionError e) {
            unavailableArmhf = e.getMessage();
        }
        return cachedArmhf;
    }

    public static String whyArmhfUnavailable() {
        return unavailableArmhf;
    }

    /** A device tree blob shipped with the kernel package (usr/lib/linux-image-VERSION/NAME). */
    public Path dtb(String name) throws IOException {
        Path dir = root.resolve("usr/lib");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("linux-image-")).map(p -> p.resolve(name))
                    .filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + name + " under " + dir + "/linux-image-*"));
        }
    }

    private static DebianBootKit fetch(Flavour flavour) throws IOException, InterruptedException {
        List<String> missing = HostTools.missing("apt-get", "apt-cache", "dpkg-deb", "dpkg");
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not a Debian host: missing " + missing);
        }
        Path dir = cacheDir().resolve(flavour.directory());
        Path root = dir.resolve("root");
        Path done = dir.resolve("unpacked");
        if (!Files.exists(done)) {
            Files.createDirectories(dir);
            String suffix = "";
            if (flavour.architecture() != null) {
                enableArchitecture(dir, flavour.architecture());
                suffix = ":" + flavour.architecture();
            }
            String meta = flavour.kernelMetaPackage() + suffix;
            String deps = HostTools.run(dir, 120, "apt-cache", "depends", meta).orFail("apt-cache depends " + meta)
                    .output();
            String kernelPkg = deps.lines().map(String::strip).filter(l -> l.startsWith("Depends: linux-image-"))
                    .map(l -> l.substring("Depends: ".length())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no kernel package for " + meta + " in apt's lists"
                            + " (run apt-get update)"));
            if (!kernelPkg.contains(":") && !suffix.isEmpty()) {
                kernelPkg += suffix;
            }
            HostTools.run(dir, 600, "apt-get", "download", kernelPkg, "busybox-static" + suffix)
                    .orFail("apt-get download " + kernelPkg + " busybox-static" + suffix);
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
        return new DebianBootKit(vmlinuz, modules, busybox, root);
    }

    /**
     * Makes apt know a foreign architecture's packages (dpkg --add-architecture, apt-get update),
     * as root only; CI's .ci/run has done this already.
     */
    private static void enableArchitecture(Path dir, String architecture) throws IOException, InterruptedException {
        String foreign = HostTools.run(dir, 30, "dpkg", "--print-foreign-architectures")
                .orFail("dpkg --print-foreign-architectures").output();
        if (foreign.lines().anyMatch(architecture::equals)) {
            return;
        }
        if (!HostTools.isRoot()) {
            throw new IllegalStateException("apt does not know " + architecture + " packages; as root run: dpkg"
                    + " --add-architecture " + architecture + " && apt-get update");
        }
        HostTools.run(dir, 30, "dpkg", "--add-architecture", architecture).orFail("dpkg --add-architecture");
        // an index that fails to download (a mirror mid-sync) leaves apt-get update non-zero but the
        // others usable: apt-cache below says whether the kernel package can be had
        HostTools.run(dir, 600, "apt-get", "update");
    }
}
