package dev.strata.image.disk;

import dev.strata.image.BudgetException;
import dev.strata.image.fat.FatType;
import dev.strata.squashfs.tree.FileTree;
import java.nio.file.Path;
import java.util.List;

/** What goes into a partition of a disk image. */
public sealed interface PartitionContent {
    /** A short description for the image manifest and the build's output. */
    String kind();

    /**
     * A FAT volume holding a tree of files (a boot partition).
     *
     * @param label    volume label, or null
     * @param volumeId serial number
     * @param type     FAT16 or FAT32, or null to choose by size
     */
    record Fat(FileTree tree, String label, int volumeId, FatType type) implements PartitionContent {
        @Override
        public String kind() {
            return "fat";
        }
    }

    /**
     * The squashfs root, with the space after it prepared as OpenWrt's rootdisk data volume.
     *
     * @param image        the squashfs file
     * @param contributors the largest parts of the root (for a too-small partition)
     */
    record SquashfsRoot(Path image, List<BudgetException.Contributor> contributors) implements PartitionContent {
        public SquashfsRoot {
            contributors = List.copyOf(contributors);
        }

        @Override
        public String kind() {
            return "squashfs+rootdisk";
        }
    }

    /** A data partition the device formats at first boot: its start is marked like a rootdisk's. */
    record DataVolume() implements PartitionContent {
        @Override
        public String kind() {
            return "data (formatted at first boot)";
        }
    }

    /** A file copied in as it is (a squashfs without an overlay, a filesystem image made elsewhere). */
    record Raw(Path file) implements PartitionContent {
        @Override
        public String kind() {
            return "raw";
        }
    }
}
