package dev.strata.image.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.image.HostTool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionTableTest {
    static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    static Path sparse(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
        return file;
    }

    static void put(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), position);
        }
    }

    static MbrTable rpiLikeMbr() {
        return new MbrTable(0x5452574f, List.of(
                new MbrPartition(1, true, 0x0c, 8192, 64 * 2048),
                new MbrPartition(2, false, 0x83, 8192 + 64 * 2048, 104 * 2048)), null);
    }

    static GptTable efiLikeGpt(long diskSectors) {
        UUID disk = Guids.nameBased("test disk");
        return new GptTable(disk, List.of(
                new GptPartition(1, GptPartition.TYPE_EFI_SYSTEM, Guids.withLastByte(disk, 1), 512, 512 + 16 * 2048 - 1,
                        GptPartition.ATTR_LEGACY_BIOS_BOOTABLE, "boot"),
                new GptPartition(2, GptPartition.TYPE_LINUX, Guids.withLastByte(disk, 2), 512 + 16 * 2048,
                        512 + 120 * 2048 - 1, 0, "rootfs \u00e9"),
                new GptPartition(128, GptPartition.TYPE_BIOS_BOOT, Guids.withLastByte(disk, 128), 34, 511, 0, "")),
                diskSectors);
    }

    @Test
    void sfdiskAndFdiskReadTheMbrAsWritten() throws Exception {
        HostTool.assume("fdisk", "sfdisk", "fdisk");
        Path disk = sparse(dir.resolve("mbr.img"), 4 * MIB + 168 * MIB);
        put(disk, 0, rpiLikeMbr().encode());
        String dump = HostTool.run("sfdisk", "--dump", disk.toString()).ok().output();
        assertTrue(dump.contains("label: dos"), dump);
        assertTrue(dump.contains("label-id: 0x5452574f"), dump);
        assertTrue(dump.contains("mbr.img1 : start=        8192, size=      131072, type=c, bootable"), dump);
        assertTrue(dump.contains("mbr.img2 : start=      139264, size=      212992, type=83"), dump);
        String fdisk = HostTool.run("fdisk", "-l", disk.toString()).ok().output();
        assertTrue(fdisk.contains("Disk identifier: 0x5452574f"), fdisk);
        assertTrue(fdisk.contains("W95 FAT32 (LBA)"), fdisk);
        assertTrue(!fdisk.contains("does not start on physical sector boundary"), fdisk);
    }

    @Test
    void sfdiskAndSgdiskAcceptTheGptWithBothHeadersAndCrcs() throws Exception {
        HostTool.assume("fdisk", "sfdisk");
        long sectors = (121 * MIB) / 512 + GptTable.trailingSectors();
        Path disk = sparse(dir.resolve("gpt.img"), sectors * 512);
        GptTable gpt = efiLikeGpt(sectors);
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            gpt.writeTo(ch);
        }
        String dump = HostTool.run("sfdisk", "--dump", disk.toString()).ok().output();
        assertTrue(dump.contains("label: gpt"), dump);
        assertTrue(dump.contains("label-id: " + gpt.diskGuid().toString().toUpperCase()), dump);
        assertTrue(dump.contains("gpt.img1 : start=         512, size=       32768, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid="
                + Guids.withLastByte(gpt.diskGuid(), 1).toString().toUpperCase() + ", name=\"boot\", attrs=\"LegacyBIOSBootable\""), dump);
        assertTrue(dump.contains("name=\"rootfs \\xc3\\xa9\""), dump); // sfdisk escapes the UTF-8 bytes
        assertTrue(dump.contains("gpt.img128 : start=          34, size=         478, type=21686148-6449-6E6F-744E-656564454649"), dump);
        assertTrue(dump.contains("last-lba: " + (sectors - 34)), dump);
        String verify = HostTool.run("sfdisk", "--verify", disk.toString()).output();
        assertTrue(verify.contains("No errors detected."), verify);
        if (HostTool.available("sgdisk", "gdisk")) {
            String v = HostTool.run("sgdisk", "-v", disk.toString()).ok().output();
            assertTrue(v.contains("No problems found."), v);
        }
        // the reader agrees, from the primary header and from the backup alone
        GptTable.SectorSource source = (pos, len) -> read(disk, pos, len);
        GptTable back = GptTable.read(source, sectors);
        assertEquals(gpt.diskGuid(), back.diskGuid());
        assertEquals(gpt.partitions().stream().sorted(java.util.Comparator.comparingInt(GptPartition::number)).toList(),
                back.partitions());
        put(disk, 512, new byte[512]);
        assertEquals(gpt.diskGuid(), GptTable.read(source, sectors).diskGuid());
        if (HostTool.available("sgdisk", "gdisk")) {
            String v = HostTool.run("sgdisk", "-v", disk.toString()).output();
            assertTrue(v.contains("main header") || v.contains("primary"), v);
        }
    }

    @Test
    void theKernelSeesThePartitionsAtTheirOffsets() throws Exception {
        HostTool.assumeRootWithLoop();
        long sectors = (121 * MIB) / 512 + GptTable.trailingSectors();
        Path disk = sparse(dir.resolve("gpt.img"), sectors * 512);
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            efiLikeGpt(sectors).writeTo(ch);
        }
        String loop = HostTool.run("losetup", "-f", "--show", "-P", "-r", disk.toString()).ok().output().strip();
        try {
            String name = loop.substring("/dev/".length());
            Path sys = Path.of("/sys/block", name, name + "p2");
            for (int i = 0; i < 50 && !Files.exists(sys); i++) {
                Thread.sleep(100);
            }
            assumeTrue(Files.exists(sys.getParent().resolve(name + "p1")), "skipped: the running kernel ("
                    + System.getProperty("os.version") + ") found no partitions on " + loop
                    + " (built without partition table support?)");
            assertEquals(String.valueOf(512 + 16 * 2048), Files.readString(sys.resolve("start")).strip());
            assertEquals(String.valueOf(104 * 2048), Files.readString(sys.resolve("size")).strip());
            String uevent = Files.readString(sys.resolve("uevent"));
            assertTrue(uevent.contains("PARTNAME=rootfs \u00e9"), uevent);
        } finally {
            HostTool.run("losetup", "-d", loop);
        }
    }

    @Test
    void mbrRoundTripsAndRejectsWhatItCannotHold() throws Exception {
        MbrTable t = rpiLikeMbr();
        MbrTable back = MbrTable.decode(t.encode());
        assertEquals(t.partitions(), back.partitions());
        assertEquals("5452574f-02", back.partuuid(2));
        byte[] bytes = t.encode();
        assertEquals('O', bytes[440]);
        assertEquals('W', bytes[441]);
        assertEquals('R', bytes[442]);
        assertEquals('T', bytes[443]);
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new MbrPartition(1, false, 0x83, 2048, 0x1_0000_0000L));
        assertTrue(big.getMessage().contains("use GPT"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MbrTable(1, List.of(
                new MbrPartition(1, false, 0x83, 2048, 4096), new MbrPartition(2, false, 0x83, 4000, 10)), null));
        PartitionTableException none = assertThrows(PartitionTableException.class, () -> MbrTable.decode(new byte[512]));
        assertEquals("sector 0 has no MBR boot signature (0x55aa at byte 510)", none.getMessage());
    }

    @Test
    void nameBasedGuidsAreStableVersion5AndGptByteOrderIsMixedEndian() {
        UUID a = Guids.nameBased("router 1.0 openwrt-x86-64");
        assertEquals(a, Guids.nameBased("router 1.0 openwrt-x86-64"));
        assertEquals(5, a.version());
        assertEquals(2, a.variant());
        UUID esp = GptPartition.TYPE_EFI_SYSTEM;
        byte[] g = Guids.toGpt(esp);
        assertArrayEquals(new byte[] {0x28, 0x73, 0x2a, (byte) 0xc1, 0x1f, (byte) 0xf8, (byte) 0xd2, 0x11,
                (byte) 0xba, 0x4b, 0x00, (byte) 0xa0, (byte) 0xc9, 0x3e, (byte) 0xc9, 0x3b}, g);
        assertEquals(esp, Guids.fromGpt(g, 0));
    }

    static byte[] read(Path file, long pos, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
                // keep reading
            }
            return b.array();
        }
    }
}
