package dev.strata.image.partition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * A GUID partition table for a disk of {@code diskSectors} 512-byte sectors: the protective MBR,
 * the primary header (LBA 1) and entry array (LBA 2..33), the backup entry array and the backup
 * header in the last 33 sectors, both headers with CRC32s of themselves and of the entries.
 *
 * @param diskGuid    the disk GUID
 * @param partitions  the partitions, any order; numbers at most {@link #ENTRIES}
 * @param diskSectors the disk's size in sectors
 */
public record GptTable(UUID diskGuid, List<GptPartition> partitions, long diskSectors) {
    public static final int SECTOR = 512;
    public static final int ENTRIES = 128;
    public static final int ENTRY_SECTORS = ENTRIES * GptPartition.ENTRY_SIZE / SECTOR;
    public static final int HEADER_SIZE = 92;
    static final long SIGNATURE = 0x5452415020494645L; // "EFI PART" little-endian
    static final int REVISION = 0x00010000;

    public GptTable {
        partitions = List.copyOf(partitions);
        long firstUsable = firstUsableLba();
        long lastUsable = diskSectors - 2 - ENTRY_SECTORS;
        if (lastUsable < firstUsable) {
            throw new IllegalArgumentException("a GPT disk needs at least " + (2 * ENTRY_SECTORS + 3) + " sectors, got "
                    + diskSectors);
        }
        List<GptPartition> sorted = new ArrayList<>(partitions);
        sorted.sort(Comparator.comparingLong(GptPartition::firstLba));
        for (int i = 0; i < sorted.size(); i++) {
            GptPartition p = sorted.get(i);
            if (p.number() > ENTRIES) {
                throw new IllegalArgumentException("GPT partition number " + p.number() + " is above " + ENTRIES);
            }
            if (p.firstLba() < firstUsable || p.lastLba() > lastUsable) {
                throw new IllegalArgumentException("GPT partition " + p.number() + " (sectors " + p.firstLba() + " to "
                        + p.lastLba() + ") lies outside the usable sectors " + firstUsable + " to " + lastUsable);
            }
            if (i > 0 && p.firstLba() <= sorted.get(i - 1).lastLba()) {
                throw new IllegalArgumentException("GPT partitions " + sorted.get(i - 1).number() + " and " + p.number()
                        + " overlap");
            }
            for (int j = i + 1; j < sorted.size(); j++) {
                if (sorted.get(j).number() == p.number()) {
                    throw new IllegalArgumentException("GPT partition number " + p.number() + " used twice");
                }
            }
        }
    }

    public static long firstUsableLba() {
        return 2 + ENTRY_SECTORS;
    }

    public long lastUsableLba() {
        return diskSectors - 2 - ENTRY_SECTORS;
    }

    /** Sectors a disk needs after its last partition for the backup entries and header. */
    public static int trailingSectors() {
        return ENTRY_SECTORS + 1;
    }

    public GptPartition partition(int number) {
        for (GptPartition p : partitions) {
            if (p.number() == number) {
                return p;
            }
        }
        return null;
    }

    /** The entry array (both copies are the same bytes). */
    public byte[] entryArray() {
        byte[] b = new byte[ENTRIES * GptPartition.ENTRY_SIZE];
        for (GptPartition p : partitions) {
            p.write(b, (p.number() - 1) * GptPartition.ENTRY_SIZE);
        }
        return b;
    }

    /** The primary (LBA 1) or backup (last LBA) header sector. */
    public byte[] header(boolean primary) {
        byte[] entries = entryArray();
        byte[] h = new byte[SECTOR];
        long my = primary ? 1 : diskSectors - 1;
        long alternate = primary ? diskSectors - 1 : 1;
        long entryLba = primary ? 2 : diskSectors - 1 - ENTRY_SECTORS;
        LittleEndian.put64(h, 0, SIGNATURE);
        LittleEndian.put32(h, 8, REVISION);
        LittleEndian.put32(h, 12, HEADER_SIZE);
        LittleEndian.put64(h, 24, my);
        LittleEndian.put64(h, 32, alternate);
        LittleEndian.put64(h, 40, firstUsableLba());
        LittleEndian.put64(h, 48, lastUsableLba());
        System.arraycopy(Guids.toGpt(diskGuid), 0, h, 56, 16);
        LittleEndian.put64(h, 72, entryLba);
        LittleEndian.put32(h, 80, ENTRIES);
        LittleEndian.put32(h, 84, GptPartition.ENTRY_SIZE);
        LittleEndian.put32(h, 88, crc32(entries, 0, entries.length));
        LittleEndian.put32(h, 16, crc32(h, 0, HEADER_SIZE));
        return h;
    }

    /** Writes the protective MBR, both headers and both entry arrays into a disk image. */
    public void writeTo(FileChannel disk) throws IOException {
        byte[] entries = entryArray();
        write(disk, 0, MbrTable.protective(diskSectors).encode());
        write(disk, SECTOR, header(true));
        write(disk, 2L * SECTOR, entries);
        write(disk, (diskSectors - 1 - ENTRY_SECTORS) * SECTOR, entries);
        write(disk, (diskSectors - 1) * SECTOR, header(false));
    }

    private static void write(FileChannel ch, long position, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            position += ch.write(buf, position);
        }
    }

    static long crc32(byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, off, len);
        return crc.getValue();
    }

    /**
     * Reads the table of a disk of diskSectors sectors from its primary header, falling back to the
     * backup when the primary is damaged; fails when neither checks out. Every count and position is
     * checked against the disk's size before use.
     */
    public static GptTable read(SectorSource disk, long diskSectors) throws IOException {
        PartitionTableException primaryProblem;
        try {
            return readHeader(disk, 1, diskSectors);
        } catch (PartitionTableException e) {
            primaryProblem = e;
        }
        try {
            return readHeader(disk, diskSectors - 1, diskSectors);
        } catch (PartitionTableException e) {
            throw new PartitionTableException("GPT: primary header: " + primaryProblem.getMessage() + "; backup header: "
                    + e.getMessage());
        }
    }

    private static GptTable readHeader(SectorSource disk, long lba, long diskSectors) throws IOException {
        byte[] h = disk.read(lba * SECTOR, SECTOR);
        if (LittleEndian.u64(h, 0) != SIGNATURE) {
            throw new PartitionTableException("no 'EFI PART' signature at sector " + lba);
        }
        long size = LittleEndian.u32(h, 12);
        if (size < HEADER_SIZE || size > SECTOR) {
            throw new PartitionTableException("header size " + size + " is not " + HEADER_SIZE + " to " + SECTOR);
        }
        byte[] copy = h.clone();
        LittleEndian.put32(copy, 16, 0);
        if (crc32(copy, 0, (int) size) != LittleEndian.u32(h, 16)) {
            throw new PartitionTableException("header CRC32 mismatch at sector " + lba);
        }
        long entryLba = LittleEndian.u64(h, 72);
        long count = LittleEndian.u32(h, 80);
        long entrySize = LittleEndian.u32(h, 84);
        if (entrySize < GptPartition.ENTRY_SIZE || entrySize > 4096 || entrySize % 8 != 0 || count > 4096) {
            throw new PartitionTableException(count + " entries of " + entrySize + " bytes is not a usable entry array");
        }
        long bytes = count * entrySize;
        if (entryLba < 1 || entryLba >= diskSectors || entryLba * SECTOR + bytes > diskSectors * SECTOR) {
            throw new PartitionTableException("entry array at sector " + entryLba + " lies outside the disk");
        }
        byte[] entries = disk.read(entryLba * SECTOR, (int) bytes);
        if (crc32(entries, 0, entries.length) != LittleEndian.u32(h, 88)) {
            throw new PartitionTableException("entry array CRC32 mismatch");
        }
        List<GptPartition> parts = new ArrayList<>();
        byte[] one = new byte[GptPartition.ENTRY_SIZE];
        for (int i = 0; i < count; i++) {
            System.arraycopy(entries, (int) (i * entrySize), one, 0, GptPartition.ENTRY_SIZE);
            GptPartition p = GptPartition.read(one, 0, i + 1);
            if (p != null) {
                if (p.lastLba() >= diskSectors) {
                    throw new PartitionTableException("entry " + (i + 1) + " ends at sector " + p.lastLba()
                            + ", beyond the disk's " + diskSectors + " sectors");
                }
                parts.add(p);
            }
        }
        try {
            return new GptTable(Guids.fromGpt(h, 56), parts, diskSectors);
        } catch (IllegalArgumentException e) {
            throw new PartitionTableException(e.getMessage());
        }
    }

    /** Random access to a disk's bytes, for the reader. */
    @FunctionalInterface
    public interface SectorSource {
        byte[] read(long position, int length) throws IOException;
    }
}
