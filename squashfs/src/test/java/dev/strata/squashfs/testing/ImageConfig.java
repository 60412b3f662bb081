package dev.strata.squashfs.testing;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.write.FragmentPolicy;
import dev.strata.squashfs.write.WriterOptions;

/**
 * One combination of writer settings a test runs with; its toString names the test case.
 *
 * @param mkfsTime fixed, so that images are reproducible and comparable
 */
public record ImageConfig(CompressorId compressor, int blockSize, FragmentPolicy fragments, boolean deduplicate,
                          boolean exportTable, boolean pad, int processors) {
    public static final long MKFS_TIME = 1_700_000_000L;

    public static ImageConfig of(CompressorId compressor, int blockSize) {
        return new ImageConfig(compressor, blockSize, FragmentPolicy.SMALL_FILES, true, true, true, 2);
    }

    public ImageConfig fragments(FragmentPolicy f) {
        return new ImageConfig(compressor, blockSize, f, deduplicate, exportTable, pad, processors);
    }

    /** No dedup, no export table: the optional parts left out. */
    public ImageConfig minimal() {
        return new ImageConfig(compressor, blockSize, fragments, false, false, pad, processors);
    }

    /**
     * Not padded to 4 KiB (mksquashfs -nopad). Such an image is for files, not loop devices: a loop
     * device ends at a whole 512-byte sector, cutting off the tables at the end of the image, so the
     * kernel refuses it (as it refuses mksquashfs -nopad images); readers of files check it.
     */
    public ImageConfig unpadded() {
        return new ImageConfig(compressor, blockSize, fragments, deduplicate, exportTable, false, processors);
    }

    public ImageConfig processors(int n) {
        return new ImageConfig(compressor, blockSize, fragments, deduplicate, exportTable, pad, n);
    }

    /** Writer options with the project's default settings of the compressor. */
    public WriterOptions options() {
        return WriterOptions.builder(TestCompressors.defaults(compressor, blockSize)).blockSize(blockSize)
                .fragments(fragments).deduplicate(deduplicate).exportTable(exportTable).pad(pad)
                .mkfsTime(MKFS_TIME).processors(processors).build();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(compressor.mksquashfsName()).append(' ')
                .append(blockSize >= 1 << 20 ? (blockSize >> 20) + "M" : (blockSize >> 10) + "K");
        if (fragments != FragmentPolicy.SMALL_FILES) {
            sb.append(" fragments=").append(fragments);
        }
        if (!deduplicate) {
            sb.append(" no-dedup");
        }
        if (!exportTable) {
            sb.append(" no-export");
        }
        if (!pad) {
            sb.append(" no-pad");
        }
        return sb.toString();
    }
}
