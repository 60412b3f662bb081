package dev.strata.image.disk;

import dev.strata.image.partition.GptTable;
import dev.strata.image.partition.Guids;
import dev.strata.image.partition.MbrTable;
import dev.strata.image.partition.PartitionScheme;
import java.util.List;
import java.util.UUID;

/**
 * A disk image to be written: the table, where partitions start and how they are aligned, and
 * what each holds.
 *
 * @param scheme        MBR or GPT
 * @param firstOffset   byte offset of the first partition
 * @param alignment     every partition starts on a multiple of this many bytes
 * @param diskSignature MBR disk signature
 * @param diskGuid      GPT disk GUID; partition GUIDs are it with the last byte set to the number
 *                      (OpenWrt's ptgen scheme), so PARTUUIDs are known before the table exists
 * @param bootCode      MBR boot code (up to 440 bytes), empty for none
 * @param coreImage     a boot loader's next stage (GRUB's core.img), empty for none: written from
 *                      {@link #coreSector()} up to the first partition; on GPT in a BIOS boot partition
 *                      there, number {@link #BIOS_BOOT_NUMBER} as OpenWrt's ptgen makes it
 * @param partitions    in disk order
 * @param minimumSize   the image is padded to at least this many bytes (0: just what it needs)
 */
public record DiskPlan(PartitionScheme scheme, long firstOffset, long alignment, int diskSignature, UUID diskGuid,
                       byte[] bootCode, byte[] coreImage, List<PartitionPlan> partitions, long minimumSize) {
    /** The GPT entry of the BIOS boot partition that holds the core image: the last, as in OpenWrt's ptgen. */
    public static final int BIOS_BOOT_NUMBER = GptTable.ENTRIES;

    public DiskPlan {
        partitions = List.copyOf(partitions);
        bootCode = bootCode == null ? new byte[0] : bootCode.clone();
        coreImage = coreImage == null ? new byte[0] : coreImage.clone();
        if (alignment < 512 || alignment % 512 != 0) {
            throw new IllegalArgumentException("partition alignment " + alignment + " is not a multiple of 512");
        }
        if (firstOffset < (scheme == PartitionScheme.GPT ? 34 * 512 : 512) || firstOffset % 512 != 0) {
            throw new IllegalArgumentException("the first partition cannot start at byte " + firstOffset);
        }
        if (coreImage.length > coreRoom(scheme, firstOffset)) {
            throw new IllegalArgumentException("a core image of " + coreImage.length
                    + " bytes does not fit before the first partition at byte " + firstOffset);
        }
    }

    /** Where a core image starts: right after the MBR, or on GPT after the partition entries. */
    public static long coreSector(PartitionScheme scheme) {
        return scheme == PartitionScheme.MBR ? 1 : GptTable.firstUsableLba();
    }

    public long coreSector() {
        return coreSector(scheme);
    }

    /** The most bytes of core image that fit before a first partition at firstOffset. */
    public static long coreRoom(PartitionScheme scheme, long firstOffset) {
        return Math.max(0, firstOffset - coreSector(scheme) * 512);
    }

    /** Linux's PARTUUID of partition number. */
    public String partuuid(int number) {
        return scheme == PartitionScheme.MBR ? MbrTable.partuuid(diskSignature, number)
                : partitionGuid(number).toString();
    }

    public UUID partitionGuid(int number) {
        return Guids.withLastByte(diskGuid, number);
    }
}
