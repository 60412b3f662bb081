package dev.strata.image.partition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Reads whichever table a disk carries into one list of {@link DiskPartition}s. */
public final class PartitionTables {
    private PartitionTables() {
    }

    /**
     * The partitions of a disk of diskBytes bytes, by number.
     *
     * @throws PartitionTableException when sector 0 is no MBR, a GPT is damaged, or an entry lies
     *                                 beyond the end of the disk
     */
    public static Found read(GptTable.SectorSource disk, long diskBytes) throws IOException {
        long sectors = diskBytes / MbrTable.SECTOR;
        MbrTable mbr = MbrTable.decode(disk.read(0, MbrTable.SECTOR));
        List<DiskPartition> out = new ArrayList<>();
        if (mbr.isProtective()) {
            GptTable gpt = GptTable.read(disk, sectors);
            for (GptPartition p : gpt.partitions()) {
                out.add(new DiskPartition(p.number(), p.firstLba() * MbrTable.SECTOR, p.sectors() * MbrTable.SECTOR,
                        p.type().toString(), p.unique().toString(), p.name(),
                        (p.attributes() & GptPartition.ATTR_LEGACY_BIOS_BOOTABLE) != 0));
            }
            out.sort(Comparator.comparingInt(DiskPartition::number));
            return new Found(PartitionScheme.GPT, gpt.diskGuid().toString(), out);
        }
        for (MbrPartition p : mbr.partitions()) {
            if (p.lastLba() >= sectors) {
                throw new PartitionTableException("MBR partition " + p.number() + " ends at sector " + p.lastLba()
                        + ", beyond the disk's " + sectors + " sectors (a truncated image?)");
            }
            out.add(new DiskPartition(p.number(), p.firstLba() * MbrTable.SECTOR, p.sectors() * MbrTable.SECTOR,
                    String.format(Locale.ROOT, "0x%02x", p.type()), mbr.partuuid(p.number()), "", p.bootable()));
        }
        out.sort(Comparator.comparingInt(DiskPartition::number));
        return new Found(PartitionScheme.MBR, String.format(Locale.ROOT, "%08x", mbr.diskSignature()), out);
    }

    /**
     * A disk's table.
     *
     * @param identifier the MBR disk signature (8 hex digits) or the GPT disk GUID
     */
    public record Found(PartitionScheme scheme, String identifier, List<DiskPartition> partitions) {
        public Found {
            partitions = List.copyOf(partitions);
        }

        public DiskPartition partition(int number) {
            for (DiskPartition p : partitions) {
                if (p.number() == number) {
                    return p;
                }
            }
            return null;
        }
    }
}
