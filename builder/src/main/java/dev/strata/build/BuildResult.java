package dev.strata.build;

import dev.strata.squashfs.write.WriteResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a successful build left in its output directory.
 *
 * @param initramfs    the generated initramfs, when the spec has an initramfs section
 * @param epoch        the build time every timestamp was fixed to
 * @param reproducible whether the epoch came from SOURCE_DATE_EPOCH or the spec (not the clock)
 * @param deviceImages the profile's images, images.json and sha256sums, when the spec names a profile
 * @param deviceReport what to show about them
 */
public record BuildResult(Path outputDirectory, Path image, Path manifest, Optional<Path> initramfs,
                          WriteResult write, long epoch, boolean reproducible, SizeReport report,
                          List<InstalledPackage> packages, List<String> warnings, List<Path> deviceImages,
                          List<String> deviceReport) {
}
