package dev.strata.spec;

import dev.strata.squashfs.compress.CompressorId;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code squashfs:} section: how the lower image is written. Defaults follow OpenWrt's
 * mksquashfs call (xz, 256 KiB blocks) but keep mksquashfs's 4 KiB padding: a file whose size is
 * not a whole number of sectors cannot be loop-mounted to its end. The export table is kept.
 *
 * @param compressionOptions mksquashfs -X options, e.g. ["-Xbcj", "x86"]
 * @param maxSize            the most bytes the image may take (a partition or flash budget)
 */
public record SquashfsSpec(CompressorId compression, List<String> compressionOptions, int blockSize,
                           boolean fragments, boolean tailEnds, boolean deduplicate, boolean xattrs, boolean pad,
                           boolean exportTable, OptionalLong maxSize, SpecLocation location) {
    public static final int DEFAULT_BLOCK_SIZE = 256 * 1024;

    public static SquashfsSpec defaults(SpecLocation location) {
        return new SquashfsSpec(CompressorId.XZ, List.of(), DEFAULT_BLOCK_SIZE, true, false, true, true, true, true,
                OptionalLong.empty(), location);
    }
}
