package dev.strata.spec;

import dev.strata.overlay.initramfs.InitramfsCompression;
import java.util.List;
import java.util.Optional;

/**
 * The {@code initramfs:} section: the archive {@code strata build} generates beside the lower image
 * for the overlay's boot style (docs/overlay-init.md). Host files were checked to exist when the
 * spec was read; whether busybox is static and the modules are there is checked by the build.
 *
 * @param busybox     the static busybox (Debian: busybox-static's /bin/busybox)
 * @param moduleDir   a kernel's {@code lib/modules/VERSION} directory, when modules are loaded
 * @param modules     module names to load; their dependencies are added
 * @param compression how the newc cpio is compressed
 * @param fileName    the archive's name in the output directory
 * @param files       extra files, such as a mkfs tool and its libraries
 * @param location    where the section starts
 */
public record InitramfsSpec(SpecPath busybox, Optional<SpecPath> moduleDir, List<String> modules,
                            InitramfsCompression compression, String fileName, List<ExtraFile> files,
                            SpecLocation location) {
    public InitramfsSpec {
        modules = List.copyOf(modules);
        files = List.copyOf(files);
    }

    /** One host file placed at an absolute path in the initramfs. */
    public record ExtraFile(String path, SpecPath from, int mode) {
    }

    /** {@code initramfs.cpio} plus the compression's usual suffix. */
    public static String defaultFileName(InitramfsCompression compression) {
        return "initramfs.cpio" + switch (compression) {
            case NONE -> "";
            case GZIP -> ".gz";
            case XZ -> ".xz";
            case ZSTD -> ".zst";
        };
    }
}
