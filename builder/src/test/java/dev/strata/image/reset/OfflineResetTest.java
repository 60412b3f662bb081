package dev.strata.image.reset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.cli.CliRun;
import dev.strata.image.HostTool;
import dev.strata.image.disk.Rootdisk;
import dev.strata.image.partition.DiskPartition;
import dev.strata.image.partition.PartitionTables;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * strata reset on built example images: the data volume gets the marker the device's init formats
 * at, every other byte of the image stays as it was, a soft reset leaves the flag file the init
 * reads, and images it does not know are refused unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfflineResetTest {
    static final long MIB = 1 << 20;

    Path built;
    @TempDir
    Path work;

    Path x86;
    Path rpi;
    Path openelec;
    Path nor;

    @BeforeAll
    void buildExamples() throws IOException {
        built = Files.createTempDirectory("strata-reset-test");
        x86 = buildImage("openwrt-x86-64", "-combined.img");
        rpi = buildImage("openwrt-bcm2709-rpi-2", "-factory.img");
        openelec = buildImage("openelec-rpi2", "RPi2.arm.img");
        nor = buildImage("openwrt-nor-generic", "-sysupgrade.bin");
    }

    @org.junit.jupiter.api.AfterAll
    void removeBuilds() throws IOException {
        try (Stream<Path> s = Files.walk(built)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    Path buildImage(String profile, String suffix) throws IOException {
        Path spec = repository().resolve("examples").resolve(profile).resolve("strata.yaml");
        Path dir = built.resolve(profile);
        CliRun r = CliRun.run("build", spec.toString(), "-o" + dir, "-q");
        assertEquals(0, r.status, r.toString());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    static long ceiling(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    static Path repository() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("profiles"))) {
            p = p.getParent();
        }
        return p;
    }

    Path copy(Path image) throws IOException {
        Path c = work.resolve(image.getFileName());
        Files.deleteIfExists(c);
        OfflineReset.sparseCopy(image, Files.createFile(c));
        return c;
    }

    static PartitionTables.Found table(Path image) throws IOException {
        try (FileChannel ch = FileChannel.open(image)) {
            return PartitionTables.read((pos, len) -> ResetTarget.read(ch, pos, len), ch.size());
        }
    }

    static byte[] read(Path f, long pos, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(f)) {
            return ResetTarget.read(ch, pos, len);
        }
    }

    static void write(Path f, long pos, byte[] b) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ResetTarget.write(ch, pos, b);
        }
    }

    /** SHA-256 of the file with [from, to) left out. */
    static String hashOutside(Path f, long from, long to) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (FileChannel ch = FileChannel.open(f)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            long pos = 0;
            while (true) {
                b.clear();
                int n = ch.read(b, pos);
                if (n <= 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    long at = pos + i;
                    if (at < from || at >= to) {
                        md.update(b.get(i));
                    }
                }
                pos += n;
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(Path f) throws Exception {
        return hashOutside(f, 0, 0);
    }

    /** Makes the data volume look used: an ext4 filesystem where the init formatted one. */
    static void useDataVolume(Path img, long offset, long length) throws Exception {
        if (HostTool.available("mke2fs", "e2fsprogs")) {
            HostTool.run("mke2fs", "-q", "-F", "-t", "ext4", "-E", "offset=" + offset, img.toString(),
                    (length / 1024) + "k").ok();
        } else {
            byte[] junk = new byte[(int) MIB];
            new Random(1).nextBytes(junk);
            junk[1080] = 0x53;
            junk[1081] = (byte) 0xef;
            write(img, offset, junk);
        }
        assertFalse(java.util.Arrays.equals(Rootdisk.MARKER, read(img, offset, 4)));
    }

    static long rootdiskStart(Path img, DiskPartition p) throws IOException {
        try (FileChannel ch = FileChannel.open(img)) {
            return p.offset() + Rootdisk.dataOffset(Rootdisk.bytesUsed(ch, p.offset()));
        }
    }

    @Test
    void resetMarksTheRootdiskAndChangesNoOtherByte() throws Exception {
        Path img = copy(x86);
        DiskPartition root = table(img).partition(2);
        long data = rootdiskStart(img, root);
        useDataVolume(img, data, root.end() - data);
        String before = hashOutside(img, data, data + MIB);
        Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("rw-r-----"));

        CliRun r = CliRun.run("reset", img.toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("Strata in-root overlay (partition 2 has overlay.conf: data=rootdisk)"), r.out);
        assertTrue(r.out.contains("wrote the rootdisk data volume after the squashfs in partition 2, bytes "
                + data + " to " + (data + MIB) + ": the 0xdeadc0de marker, then zeros (the next boot formats it)"), r.out);
        assertArrayEquals(Rootdisk.MARKER, read(img, data, 4));
        assertArrayEquals(new byte[(int) MIB - 4], read(img, data + 4, (int) MIB - 4));
        assertEquals(before, hashOutside(img, data, data + MIB), "bytes outside the data volume's first MiB changed");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(img)));
        try (Stream<Path> s = Files.list(work)) {
            assertEquals(List.of(img.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList(),
                    "a temporary file was left behind");
        }
        if (HostTool.available("blkid", "util-linux")) {
            assertEquals(2, HostTool.run("blkid", "-p", "-O", String.valueOf(data), img.toString()).status(),
                    "blkid still finds a filesystem in the data volume");
        }
        // a second reset finds the marker and writes the same bytes again: idempotent
        String after = sha256(img);
        assertEquals(0, CliRun.run("reset", img.toString()).status);
        assertEquals(after, sha256(img));
    }

    @Test
    void openelecResetClearsTheStoragePartitionAndLeavesTheFatBootPartitionAlone() throws Exception {
        Path img = copy(openelec);
        PartitionTables.Found t = table(img);
        DiskPartition storage = t.partition(2);
        useDataVolume(img, storage.offset(), storage.size());
        String before = hashOutside(img, storage.offset(), storage.offset() + MIB);
        CliRun r = CliRun.run("reset", img.toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("Strata initramfs overlay (/SYSTEM on partition 1 has overlay.conf: data=PARTUUID="
                + t.identifier() + "-02)"), r.out);
        assertTrue(r.out.contains("wrote the data partition 2 (PARTUUID=" + t.identifier() + "-02)"), r.out);
        assertArrayEquals(Rootdisk.MARKER, read(img, storage.offset(), 4));
        assertEquals(before, hashOutside(img, storage.offset(), storage.offset() + MIB));
        // its boot partition is found by its FAT label, as the initramfs finds it (boot=LABEL=SYSTEM)
        CliRun keep = CliRun.run("reset", "--keep", "/storage/.kodi", "--dry-run", img.toString());
        assertEquals(0, keep.status, keep.toString());
        assertTrue(keep.out.contains("would write /strata-reset on partition 1 (the FAT boot partition)"), keep.out);
    }

    @Test
    void keepLeavesTheFlagFileTheInitReadsAndTheDataAsItWas() throws Exception {
        Path img = copy(rpi);
        PartitionTables.Found t = table(img);
        DiskPartition boot = t.partition(1);
        DiskPartition root = t.partition(2);
        long data = rootdiskStart(img, root);
        useDataVolume(img, data, root.end() - data);
        String outsideBoot = hashOutside(img, boot.offset(), boot.end());
        CliRun soft = CliRun.run("reset", "--soft", "--dry-run", img.toString());
        assertEquals(0, soft.status, soft.toString());
        assertTrue(soft.out.contains("would write /strata-reset on partition 1 (the FAT boot partition): the reset flag"
                + " file keeping the configured keep list (the next boot"), soft.out);
        CliRun r = CliRun.run("reset", "--keep", "/etc/config", "--keep", "/etc/dropbear", img.toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("wrote /strata-reset on partition 1 (the FAT boot partition): the reset flag file"
                + " keeping the configured keep list and /etc/config /etc/dropbear"), r.out);
        assertTrue(r.out.contains("untouched: the squashfs partition 2, the data volume (rootdisk)"), r.out);
        assertEquals(outsideBoot, hashOutside(img, boot.offset(), boot.end()), "--keep changed more than the boot partition");
        byte[] afterRoot = read(img, root.offset(), (int) Math.min(root.size(), 8 * MIB));
        assertFalse(java.util.Arrays.equals(Rootdisk.MARKER, java.util.Arrays.copyOfRange(afterRoot,
                (int) (data - root.offset()), (int) (data - root.offset()) + 4)), "--keep must not wipe the data");
        try (FileChannel ch = FileChannel.open(img)) {
            dev.strata.image.fat.FatVolume v = dev.strata.image.fat.FatVolume.open(ch, boot.offset(), boot.size());
            assertEquals("/etc/config\n/etc/dropbear\n",
                    new String(v.read(v.find("/strata-reset").orElseThrow(), 4096), StandardCharsets.UTF_8));
        }
        if (HostTool.available("fsck.fat", "dosfstools")) {
            Path p1 = work.resolve("p1.img");
            try (FileChannel in = FileChannel.open(img); RandomAccessFile out = new RandomAccessFile(p1.toFile(), "rw")) {
                out.setLength(boot.size());
                in.transferTo(boot.offset(), boot.size(), out.getChannel());
            }
            HostTool.Result fsck = HostTool.run("fsck.fat", "-n", p1.toString());
            assertEquals(0, fsck.status(), fsck.output());
            if (HostTool.available("mtype", "mtools")) {
                assertEquals("/etc/config\n/etc/dropbear\n", HostTool.run(Map.of("MTOOLS_SKIP_CHECK", "1"), "mtype",
                        "-i", p1.toString(), "::/strata-reset").ok().output());
            }
        }
    }

    @Test
    void aFirmwareBinIsAlreadyFactoryAndAFlashDumpGetsItsRootfsDataErased() throws Exception {
        CliRun r = CliRun.run("reset", nor.toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("nothing to reset: the image ends with the rootfs_data marker"), r.out);

        Path dump = work.resolve("flash.bin");
        byte[] fw = Files.readAllBytes(nor);
        byte[] flash = java.util.Arrays.copyOf(fw, fw.length - 4 + 4 * 65536);
        new Random(2).nextBytes(java.util.Arrays.copyOfRange(flash, 0, 0));
        for (int i = fw.length - 4; i < flash.length; i++) {
            flash[i] = (byte) (0x85 + i);
        }
        Files.write(dump, flash);
        int data = fw.length - 4;
        r = CliRun.run("reset", dump.toString());
        assertEquals(0, r.status, r.toString());
        byte[] after = Files.readAllBytes(dump);
        assertArrayEquals(Rootdisk.MARKER, java.util.Arrays.copyOfRange(after, data, data + 4));
        for (int i = data + 4; i < data + 65536; i++) {
            assertEquals((byte) 0xff, after[i], "erased byte " + i);
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(flash, 0, data), java.util.Arrays.copyOfRange(after, 0, data));
        assertArrayEquals(java.util.Arrays.copyOfRange(flash, data + 65536, flash.length),
                java.util.Arrays.copyOfRange(after, data + 65536, after.length));
    }

    @Test
    void imagesItDoesNotKnowAreRefusedUnchanged() throws Exception {
        Path junk = work.resolve("junk.bin");
        byte[] b = new byte[3 << 20];
        new Random(3).nextBytes(b);
        Files.write(junk, b);
        String before;
        CliRun r = CliRun.run("reset", junk.toString());
        assertEquals(1, r.status, r.toString());
        assertTrue(r.err.startsWith("strata: error: " + junk + " has no partition table and no squashfs at any"), r.err);
        assertArrayEquals(b, Files.readAllBytes(junk));

        // a bare squashfs image (rootfs.squashfs) ends before the erase block where rootfs_data would start
        Path squashfs = built.resolve("openwrt-nor-generic/rootfs.squashfs");
        assertNotEquals(0, Files.size(squashfs) % 65536, "the test needs a squashfs that ends inside an erase block");
        before = sha256(squashfs);
        r = CliRun.run("reset", squashfs.toString());
        assertEquals(1, r.status, r.toString());
        assertEquals(List.of("strata: error: " + squashfs + ": flash image: squashfs at byte 0, rootfs_data from byte "
                + ceiling(Files.size(squashfs), 65536) + " (erase block 65536), but the image ends there: no rootfs_data"
                + " to reset; nothing was written"), r.err.lines().toList());
        assertEquals(before, sha256(squashfs));

        // a partitioned disk without a squashfs root (any USB stick)
        Path stick = copy(rpi);
        DiskPartition root = table(stick).partition(2);
        write(stick, root.offset(), new byte[4096]);
        before = sha256(stick);
        r = CliRun.run("reset", stick.toString());
        assertEquals(1, r.status, r.toString());
        assertTrue(r.err.contains("holds no squashfs root"), r.err);
        assertEquals(before, sha256(stick));

        // a damaged GPT is not trusted
        Path spec = work.resolve("gpt.yaml");
        Path example = repository().resolve("examples/openwrt-x86-64/strata.yaml");
        Files.writeString(spec, Files.readString(example).replace("  # partition-table: gpt ", "  partition-table: gpt #")
                .replace("../", example.getParent().getParent() + "/"));
        assertEquals(0, CliRun.run("build", spec.toString(), "-o" + work.resolve("gpt"), "-q").status);
        Path gpt;
        try (Stream<Path> s = Files.list(work.resolve("gpt"))) {
            gpt = s.filter(p -> p.toString().endsWith(".img")).findFirst().orElseThrow();
        }
        write(gpt, 512 + 60, new byte[] {1}); // inside the disk GUID, which the header CRC covers
        long size = Files.size(gpt);
        write(gpt, size - 512 + 60, new byte[] {1});
        before = sha256(gpt);
        r = CliRun.run("reset", gpt.toString());
        assertEquals(1, r.status, r.toString());
        assertTrue(r.err.contains("GPT: primary header: header CRC32 mismatch at sector 1; backup header: header CRC32"
                + " mismatch"), r.err);
        assertEquals(before, sha256(gpt));
        assertNotEquals("", before);
    }

    @Test
    void aBlockDeviceIsResetInPlace() throws Exception {
        HostTool.assumeRootWithLoop();
        Path img = copy(x86);
        DiskPartition root = table(img).partition(2);
        long data = rootdiskStart(img, root);
        useDataVolume(img, data, root.end() - data);
        String loop = HostTool.run("losetup", "-f", "--show", img.toString()).ok().output().strip();
        try {
            CliRun r = CliRun.run("reset", loop);
            assertEquals(0, r.status, r.toString());
        } finally {
            HostTool.run("losetup", "-d", loop);
        }
        assertArrayEquals(Rootdisk.MARKER, read(img, data, 4));
    }
}
