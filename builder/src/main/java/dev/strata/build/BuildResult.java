package dev.strata.build;

import dev.strata.squashfs.write.WriteResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What a successful build left in its output directory.
 *
 * @param epoch        the build time every timestamp was fixed to
 * @param reproducible whether the epoch came from SOURCE_DATE_EPOCH or the spec (not the clock)
 */
public record BuildResult(Path outputDirectory, Path image, Path manifest, WriteResult write, long epoch,
                          boolean reproducible, SizeReport report, List<InstalledPackage> packages,
                          List<String> warnings) {
}
