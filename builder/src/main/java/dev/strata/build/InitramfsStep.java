package dev.strata.build;

import dev.strata.overlay.config.OverlayConfig;
import dev.strata.overlay.device.OverlayInstallException;
import dev.strata.overlay.initramfs.InitramfsBuilder;
import dev.strata.overlay.initramfs.InitramfsException;
import dev.strata.spec.InitramfsSpec;
import dev.strata.spec.SpecException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the spec's initramfs with overlay-init's {@link InitramfsBuilder}: the same overlay
 * configuration as the lower image, the spec's busybox, modules and extra files, every entry at
 * the build epoch. Anything that could not boot (a dynamic busybox, a module not found, no mkfs
 * tool for the data filesystem) fails the build naming the spec's initramfs section.
 */
final class InitramfsStep {
    private InitramfsStep() {
    }

    /** Writes the archive into dir under the spec's file name and returns its path. */
    static Path write(InitramfsSpec spec, OverlayConfig overlay, long epoch, Path dir) throws IOException, SpecException {
        Path out = dir.resolve(spec.fileName());
        try {
            InitramfsBuilder builder = new InitramfsBuilder(overlay).busybox(spec.busybox().path())
                    .compression(spec.compression()).mtime(epoch);
            if (spec.moduleDir().isPresent()) {
                builder.kernelModules(spec.moduleDir().get().path(), spec.modules());
            }
            for (InitramfsSpec.ExtraFile f : spec.files()) {
                builder.addFile(f.path(), f.from().path(), f.mode());
            }
            // a plain file in the staging directory, created with the usual mode (it is moved into place whole)
            try (OutputStream o = Files.newOutputStream(out)) {
                builder.writeTo(o);
            }
        } catch (InitramfsException | OverlayInstallException | UncheckedIOException e) {
            throw new SpecException(spec.location(), "initramfs: " + e.getMessage());
        }
        return out;
    }
}
