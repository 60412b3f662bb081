package dev.strata.image.disk;

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
 * @param postMbrCode   a boot loader's next stage written from sector 1 up to the first partition
 *                      (GRUB's core.img in the "MBR gap"; MBR tables only), empty for none
 * @param partitions    in disk order
 * @param minimumSize   the image is padded to at least this many bytes (0: just what it needs)
 */
public record DiskPlan(PartitionScheme scheme, long firstOffset, long alignment, int diskSignature, UUID diskGuid,
                       byte[] bootCode, byte[] postMbrCode, List<PartitionPlan> partitions, long minimumSize) {
    public DiskPlan {
        partitions = List.copyOf(partitions);
        bootCode = bootCode == null ? new byte[0] : bootCode.clone();
        postMbrCode = postMbrCode == null ? new byte[0] : postMbrCode.clone();
        if (alignment < 512 || alignment % 512 != 0) {
            throw new IllegalArgumentException("partition alignment " + alignment + " is not a multiple of 512");
        }
        if (firstOffset < (scheme == PartitionScheme.GPT ? 34 * 512 : 512) || firstOffset % 512 != 0) {
            throw new IllegalArgumentException("the first partition cannot start at byte " + firstOffset);
        }
        if (postMbrCode.length > 0 && scheme != PartitionScheme.MBR) {
            throw new IllegalArgumentException("code after the MBR needs an MBR table (GPT keeps its header there)");
        }
        if (512L + postMbrCode.length > firstOffset) {
            throw new IllegalArgumentException("code after the MBR of " + postMbrCode.length
                    + " bytes does not fit before the first partition at byte " + firstOffset);
        }
    }

    /** The most code that fits between the MBR and a first partition at firstOffset. */
    public static long postMbrRoom(long firstOffset) {
        return firstOffset - 512;
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
