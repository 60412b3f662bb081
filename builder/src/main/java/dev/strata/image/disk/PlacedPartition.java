package dev.strata.image.disk;

import dev.strata.image.fat.FatType;
import dev.strata.image.fat.FatWriter;
import java.util.List;

/**
 * A partition as written, for the image manifest and for tests.
 *
 * @param number   Linux's partition number
 * @param name     its name
 * @param offset   first byte within the disk image
 * @param size     bytes
 * @param partuuid Linux's PARTUUID
 * @param type     "0x0c" or the GPT type GUID
 * @param bootable active / legacy BIOS bootable
 * @param facts    what it holds
 */
public record PlacedPartition(int number, String name, long offset, long size, String partuuid, String type,
                              boolean bootable, Facts facts) {
    /** What a partition holds. */
    public sealed interface Facts {
    }

    /** A FAT volume and its files. */
    public record FatFacts(FatType fatType, String label, int volumeId, int clusterBytes, long bytesFree,
                           List<FatWriter.Placed> entries) implements Facts {
        public FatFacts {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The squashfs root and the data volume after it.
     *
     * @param dataOffset where the data volume starts, relative to the partition
     */
    public record RootFacts(long imageBytes, long bytesUsed, long dataOffset, long dataBytes) implements Facts {
    }

    /** A data partition marked for formatting at first boot. */
    public record DataFacts(long clearedBytes) implements Facts {
    }

    /** A file copied in. */
    public record RawFacts(long bytes) implements Facts {
    }
}
