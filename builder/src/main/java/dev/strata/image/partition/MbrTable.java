package dev.strata.image.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A DOS/MBR partition table: sector 0 of the disk.
 *
 * @param diskSignature the 32-bit disk identifier at offset 440; Linux names MBR partitions by it
 *                      ({@code PARTUUID=5452574f-02})
 * @param partitions    up to four primary partitions, in any order
 * @param bootCode      up to 440 bytes of boot code (empty: zeros)
 */
public record MbrTable(int diskSignature, List<MbrPartition> partitions, byte[] bootCode) {
    public static final int SECTOR = 512;
    public static final int BOOT_CODE_SIZE = 440;
    public static final int TYPE_GPT_PROTECTIVE = 0xee;

    public MbrTable {
        partitions = List.copyOf(partitions);
        bootCode = bootCode == null ? new byte[0] : bootCode.clone();
        if (bootCode.length > BOOT_CODE_SIZE) {
            throw new IllegalArgumentException("MBR boot code is " + bootCode.length + " bytes; at most "
                    + BOOT_CODE_SIZE + " fit before the disk signature");
        }
        if (partitions.size() > 4) {
            throw new IllegalArgumentException("an MBR holds at most 4 primary partitions, got " + partitions.size());
        }
        List<MbrPartition> sorted = new ArrayList<>(partitions);
        sorted.sort(Comparator.comparingLong(MbrPartition::firstLba));
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                if (sorted.get(i).number() == sorted.get(j).number()) {
                    throw new IllegalArgumentException("MBR partition number " + sorted.get(i).number() + " used twice");
                }
            }
            if (i > 0 && sorted.get(i).firstLba() <= sorted.get(i - 1).lastLba()) {
                throw new IllegalArgumentException("MBR partitions " + sorted.get(i - 1).number() + " and "
                        + sorted.get(i).number() + " overlap");
            }
        }
    }

    /** The partition called number, or null. */
    public MbrPartition partition(int number) {
        for (MbrPartition p : partitions) {
            if (p.number() == number) {
                return p;
            }
        }
        return null;
    }

    /** What Linux shows as PARTUUID for partition number: the signature and the number in hex. */
    public String partuuid(int number) {
        return partuuid(diskSignature, number);
    }

    public static String partuuid(int signature, int number) {
        return String.format(Locale.ROOT, "%08x-%02x", signature, number);
    }

    public byte[] encode() {
        byte[] s = new byte[SECTOR];
        System.arraycopy(bootCode, 0, s, 0, bootCode.length);
        LittleEndian.put32(s, 440, Integer.toUnsignedLong(diskSignature));
        for (MbrPartition p : partitions) {
            p.write(s);
        }
        s[510] = 0x55;
        s[511] = (byte) 0xaa;
        return s;
    }

    /** Reads sector 0; fails when it carries no 0x55aa boot signature or a damaged entry. */
    public static MbrTable decode(byte[] sector) throws PartitionTableException {
        if (sector.length < SECTOR) {
            throw new PartitionTableException("the disk is shorter than one sector (" + sector.length + " bytes)");
        }
        if ((sector[510] & 0xff) != 0x55 || (sector[511] & 0xff) != 0xaa) {
            throw new PartitionTableException("sector 0 has no MBR boot signature (0x55aa at byte 510)");
        }
        List<MbrPartition> parts = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            MbrPartition p = MbrPartition.read(sector, n);
            if (p != null) {
                parts.add(p);
            }
        }
        int signature = (int) LittleEndian.u32(sector, 440);
        try {
            return new MbrTable(signature, parts, Arrays.copyOf(sector, BOOT_CODE_SIZE));
        } catch (IllegalArgumentException e) {
            throw new PartitionTableException("MBR: " + e.getMessage());
        }
    }

    /** True when the table is GPT's protective MBR (one entry of type 0xee). */
    public boolean isProtective() {
        return partitions.stream().anyMatch(p -> p.type() == TYPE_GPT_PROTECTIVE);
    }

    /** GPT's protective MBR for a disk of diskSectors sectors. */
    public static MbrTable protective(long diskSectors) {
        long sectors = Math.min(diskSectors - 1, 0xffff_ffffL);
        return new MbrTable(0, List.of(new MbrPartition(1, false, TYPE_GPT_PROTECTIVE, 1, sectors)), null);
    }
}
