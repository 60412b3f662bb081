package dev.strata.spec;

import dev.strata.overlay.config.OverlayConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One firmware as its spec file describes it.
 *
 * @param file            the spec file
 * @param displayName     the spec file as the user named it (used in messages)
 * @param sha256          digest of the spec file's bytes, hex
 * @param name            firmware name
 * @param version         firmware version
 * @param profile         device profile name, if any
 * @param sourceDateEpoch the spec's fixed build time (SOURCE_DATE_EPOCH in the environment wins)
 * @param timestamps      what the epoch does to inode times
 * @param output          output directory from the spec (-o wins), resolved against the spec's directory
 * @param releaseFile     where the release file goes in the image; empty for none
 * @param sources         steps in order
 * @param overlay         the overlay settings, when the spec has an overlay section
 * @param initramfs       the initramfs to generate beside the image, when the spec has that section
 * @param image           the device profile's inputs and options, when the spec names a profile
 */
public record Spec(Path file, String displayName, String sha256, String name, String version,
                   Optional<String> profile, OptionalLong sourceDateEpoch, TimePolicy timestamps,
                   Optional<Path> output, Optional<String> releaseFile, List<SourceSpec> sources,
                   OwnershipSpec ownership, SquashfsSpec squashfs, Optional<OverlayConfig> overlay,
                   Optional<InitramfsSpec> initramfs, Optional<ImageSpec> image) {
    public static final String DEFAULT_RELEASE_FILE = "/etc/strata-release";

    /** The directory relative paths in the spec are resolved against. */
    public Path baseDirectory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }
}
