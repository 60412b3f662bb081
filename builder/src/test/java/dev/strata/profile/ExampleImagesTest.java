package dev.strata.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.cli.CliRun;
import dev.strata.image.HostTool;
import dev.strata.image.disk.Rootdisk;
import dev.strata.image.partition.DiskPartition;
import dev.strata.image.partition.PartitionTables;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.format.Superblock;
import dev.strata.squashfs.read.SquashfsImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example spec of each profile builds, and real programs read what it wrote: sfdisk the
 * tables, fsck.fat and mtools the boot partitions, unsquashfs and the kernel the root partition.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExampleImagesTest {
    static final Map<String, String> MTOOLS = Map.of("MTOOLS_SKIP_CHECK", "1");

    @TempDir
    Path out;
    Path builds;
    final Map<String, Path> built = new java.util.HashMap<>();

    @BeforeAll
    void buildEveryExample() throws IOException {
        builds = Files.createTempDirectory("strata-example-images");
        for (String profile : Profiles.builtin().keySet()) {
            built.put(profile, build(profile, builds.resolve(profile)));
        }
    }

    @AfterAll
    void removeBuilds() throws IOException {
        try (Stream<Path> s = Files.walk(builds)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Path example(String profile) {
        return ProfilesTest.repository().resolve("examples").resolve(profile).resolve("strata.yaml");
    }

    static Path build(String profile, Path dir, String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "build";
        args[1] = example(profile).toString();
        args[2] = "-o" + dir;
        System.arraycopy(extra, 0, args, 3, extra.length);
        CliRun r = CliRun.run(args);
        assertEquals(0, r.status, r.toString());
        return dir;
    }

    static Path only(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), suffix + " in " + found);
            return found.get(0);
        }
    }

    static PartitionTables.Found table(Path image) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            return PartitionTables.read((pos, len) -> read(ch, pos, len), ch.size());
        }
    }

    static byte[] read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
            // keep reading
        }
        return b.array();
    }

    static byte[] read(Path file, long pos, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, pos, len);
        }
    }

    /** A partition copied out to its own file (fsck.fat takes no offset). */
    static Path extract(Path image, DiskPartition p, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
             RandomAccessFile o = new RandomAccessFile(to.toFile(), "rw")) {
            o.setLength(p.size());
            long done = 0;
            while (done < p.size()) {
                done += in.transferTo(p.offset() + done, p.size() - done, o.getChannel().position(done));
            }
        }
        return to;
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) > 0) {
                md.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void raspberryPiImageHasTheOpenWrtLayout() throws Exception {
        Path dir = built.get("openwrt-bcm2709-rpi-2");
        Path img = only(dir, "-factory.img");
        Path squashfs = dir.resolve("rootfs.squashfs");
        assertEquals(256L << 20, Files.size(img), "padded to disk-size");
        assertTrue(Files.exists(dir.resolve(img.getFileName() + ".gz")));
        PartitionTables.Found t = table(img);
        DiskPartition boot = t.partition(1);
        DiskPartition root = t.partition(2);
        assertEquals(4L << 20, boot.offset());
        assertEquals(64L << 20, boot.size());
        assertEquals("0x0c", boot.type());
        assertEquals(68L << 20, root.offset());
        assertEquals(104L << 20, root.size());

        // what the build reports is what the card holds
        String cmdline = new String(fatFile(img, boot, "/cmdline.txt"), StandardCharsets.UTF_8);
        assertEquals("console=serial0,115200 console=tty1 root=PARTUUID=" + t.identifier()
                + "-02 rootfstype=squashfs rootwait init=/sbin/strata-init quiet\n", cmdline);
        String images = Files.readString(dir.resolve("images.json"));
        assertTrue(images.contains("\"kernel-command-line\": \"" + cmdline.strip() + "\""), images);
        assertTrue(images.contains("\"partuuid\": \"" + t.identifier() + "-02\""), images);

        // the root partition: the squashfs as built, then the data volume's marker where the init looks
        byte[] squashfsBytes = Files.readAllBytes(squashfs);
        assertArrayEquals(squashfsBytes, read(img, root.offset(), squashfsBytes.length));
        long data = root.offset() + (bytesUsed(squashfs) + 65535) / 65536 * 65536;
        assertArrayEquals(Rootdisk.MARKER, read(img, data, 4));
        assertArrayEquals(new byte[(1 << 20) - 4], read(img, data + 4, (1 << 20) - 4));
    }

    @Test
    void sfdiskReadsTheRaspberryPiTable() throws Exception {
        HostTool.assume("fdisk", "sfdisk");
        Path img = only(built.get("openwrt-bcm2709-rpi-2"), "-factory.img");
        String dump = HostTool.run("sfdisk", "--dump", img.toString()).ok().output();
        assertTrue(dump.contains("label-id: 0x" + table(img).identifier()), dump);
        assertTrue(dump.contains(": start=        8192, size=      131072, type=c\n"), dump);
        assertTrue(dump.contains(": start=      139264, size=      212992, type=83\n"), dump);
    }

    @Test
    void fsckFatAcceptsTheRaspberryPiBootPartition() throws Exception {
        HostTool.assume("dosfstools", "fsck.fat");
        Path img = only(built.get("openwrt-bcm2709-rpi-2"), "-factory.img");
        Path p1 = extract(img, table(img).partition(1), out.resolve("p1.img"));
        HostTool.Result fsck = HostTool.run("fsck.fat", "-n", p1.toString());
        assertEquals(0, fsck.status(), fsck.output());
    }

    @Test
    void mtoolsListTheRaspberryPiBootFiles() throws Exception {
        HostTool.assume("mtools", "mdir");
        Path img = only(built.get("openwrt-bcm2709-rpi-2"), "-factory.img");
        DiskPartition boot = table(img).partition(1);
        String listing = HostTool.run(MTOOLS, "mdir", "-/", "-b", "-i", img + "@@" + boot.offset(), "::/").ok().output();
        for (String f : List.of("::/kernel.img", "::/cmdline.txt", "::/config.txt", "::/partuuid.txt",
                "::/bcm2709-rpi-2-b.dtb", "::/bootcode.bin", "::/start.elf", "::/fixup.dat", "::/overlays/README",
                "::/overlays/disable-bt.dtbo", "::/LICENCE.broadcom")) {
            assertTrue(listing.lines().anyMatch(f::equals), f + " missing:\n" + listing);
        }
    }

    @Test
    void unsquashfsReadsTheRootPartitionInPlace() throws Exception {
        HostTool.assume("squashfs-tools", "unsquashfs");
        Path img = only(built.get("openwrt-bcm2709-rpi-2"), "-factory.img");
        long offset = table(img).partition(2).offset();
        String ls = HostTool.run("unsquashfs", "-o", String.valueOf(offset), "-lls", img.toString()).ok().output();
        assertTrue(ls.contains("squashfs-root/etc/strata/overlay.conf"), ls);
        assertTrue(ls.contains("squashfs-root/sbin/strata-init"), ls);
    }

    @Test
    void sha256sumChecksEveryOutput() throws Exception {
        HostTool.assume("coreutils", "sha256sum");
        for (Path dir : built.values()) {
            HostTool.Result sums = HostTool.run("sh", "-c", "cd '" + dir + "' && sha256sum -c sha256sums");
            assertEquals(0, sums.status(), sums.output());
        }
    }

    @Test
    void openWrtProfilesCompressWithOpenWrtsXzSettings() throws IOException {
        // include/image.mk: xz with -Xpreset 9 -Xe -Xlc 0 -Xlp 2 -Xpb 2, and -Xbcj for arm and x86 kernels
        Map<String, Integer> bcjFilters = Map.of("openwrt-x86-64", 1, "openwrt-bcm2709-rpi-2", 8,
                "openwrt-nor-generic", 0);
        for (Map.Entry<String, Integer> e : bcjFilters.entrySet()) {
            Path squashfs = built.get(e.getKey()).resolve("rootfs.squashfs");
            long firstDataBlock;
            try (SquashfsImage image = SquashfsImage.open(squashfs)) {
                assertEquals(CompressorId.XZ, image.compressorId(), e.getKey());
                assertEquals(256 << 10, image.blockSize(), e.getKey());
                int filters = image.compressorOptions()
                        .map(o -> ByteBuffer.wrap(o).order(ByteOrder.LITTLE_ENDIAN).getInt(4)).orElse(0);
                assertEquals(e.getValue(), filters, e.getKey() + ": BCJ filters in the xz options block");
                // data follow the superblock and the options block (a length word and the options)
                firstDataBlock = Superblock.SIZE + image.compressorOptions().map(o -> o.length + 2).orElse(0);
            }
            assertEquals(108, firstLzmaProperties(squashfs, firstDataBlock),
                    e.getKey() + ": LZMA properties (pb * 5 + lp) * 9 + lc of -Xlc 0 -Xlp 2 -Xpb 2");
        }
    }

    /**
     * The properties byte of the first LZMA2 chunk of the xz-compressed data block at offset (OpenWrt's
     * tuning is for data blocks; metadata blocks keep mksquashfs's settings).
     */
    private static int firstLzmaProperties(Path squashfs, long offset) throws IOException {
        byte[] b = read(squashfs, offset, 64);
        assertArrayEquals(new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0}, java.util.Arrays.copyOf(b, 6),
                "the first data block is an xz stream");
        int chunk = 12 + ((b[12] & 0xFF) + 1) * 4; // after the stream header and the block header
        assertTrue((b[chunk] & 0xFF) >= 0xE0, "an LZMA chunk that resets the dictionary and sets properties");
        return b[chunk + 5] & 0xFF;
    }

    static long bytesUsed(Path squashfs) throws IOException {
        try (FileChannel ch = FileChannel.open(squashfs)) {
            return Rootdisk.bytesUsed(ch, 0);
        }
    }

    @Test
    void theKernelMountsTheRootPartitionOfTheImage() throws Exception {
        HostTool.assumeRootWithLoop();
        HostTool.assumeFilesystem("squashfs");
        Path img = only(built.get("openwrt-x86-64"), "-combined.img");
        DiskPartition root = table(img).partition(2);
        Path mnt = Files.createDirectories(out.resolve("mnt"));
        HostTool.run("mount", "-t", "squashfs", "-o", "loop,ro,offset=" + root.offset() + ",sizelimit=" + root.size(),
                img.toString(), mnt.toString()).ok();
        try {
            assertTrue(Files.readString(mnt.resolve("etc/strata/overlay.conf")).contains("data=rootdisk"));
            assertTrue(Files.isSymbolicLink(mnt.resolve("sbin/mke2fs")));
        } finally {
            HostTool.run("umount", mnt.toString());
        }
        if (HostTool.filesystemAvailable("vfat")) {
            DiskPartition boot = table(img).partition(1);
            HostTool.run("mount", "-t", "vfat", "-o", "loop,ro,offset=" + boot.offset() + ",sizelimit=" + boot.size(),
                    img.toString(), mnt.toString()).ok();
            try {
                assertTrue(Files.readString(mnt.resolve("boot/grub/grub.cfg")).contains("linux /boot/vmlinuz root=PARTUUID="));
            } finally {
                HostTool.run("umount", mnt.toString());
            }
        }
    }

    @Test
    void x86GptVariantHasBothHeadersAndARootPartuuidFromTheDiskGuid() throws Exception {
        Path spec = out.resolve("gpt.yaml");
        Files.writeString(spec, Files.readString(example("openwrt-x86-64"))
                .replace("  # partition-table: gpt ", "  partition-table: gpt #")
                .replace("../", example("openwrt-x86-64").getParent().getParent() + "/"));
        CliRun r = CliRun.run("build", spec.toString(), "-o" + out.resolve("gpt"));
        assertEquals(0, r.status, r.toString());
        Path img = only(out.resolve("gpt"), "-combined.img");
        PartitionTables.Found t = table(img);
        assertEquals("gpt", t.scheme().key());
        String guid2 = t.partition(2).partuuid();
        assertTrue(guid2.endsWith("02") && guid2.startsWith(t.identifier().substring(0, 30)), guid2 + " vs " + t.identifier());
        assertEquals("c12a7328-f81f-11d2-ba4b-00a0c93ec93b", t.partition(1).type());
        assertEquals("rootfs", t.partition(2).name());
        assertTrue(r.out.contains("kernel command line: root=PARTUUID=" + guid2 + " "), r.out);
        if (HostTool.available("sgdisk", "gdisk")) {
            String v = HostTool.run("sgdisk", "-v", img.toString()).ok().output();
            assertTrue(v.contains("No problems found."), v);
        }
        if (HostTool.available("sfdisk", "fdisk")) {
            String dump = HostTool.run("sfdisk", "--dump", img.toString()).ok().output();
            assertTrue(dump.contains("name=\"rootfs\""), dump);
            assertTrue(dump.contains("uuid=" + guid2.toUpperCase()), dump);
        }
    }

    @Test
    void openelecCardHoldsKernelInitrdAndSystemWithTheirMd5sAndAnUnformattedStorage() throws Exception {
        Path dir = built.get("openelec-rpi2");
        Path img = only(dir, "RPi2.arm.img");
        PartitionTables.Found t = table(img);
        DiskPartition system = t.partition(1);
        assertTrue(system.bootable());
        assertEquals(1L << 20, system.offset());
        assertArrayEquals(Files.readAllBytes(dir.resolve("rootfs.squashfs")), fatFile(img, system, "/SYSTEM"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("initrd.gz")), fatFile(img, system, "/INITRD"));
        String md5 = new String(fatFile(img, system, "/SYSTEM.md5"), StandardCharsets.UTF_8);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
                Files.readAllBytes(dir.resolve("rootfs.squashfs")))) + "  SYSTEM\n", md5);
        assertEquals("boot=LABEL=SYSTEM disk=PARTUUID=" + t.identifier() + "-02 quiet\n",
                new String(fatFile(img, system, "/cmdline.txt"), StandardCharsets.UTF_8));
        assertTrue(new String(fatFile(img, system, "/config.txt"), StandardCharsets.UTF_8)
                .contains("kernel=KERNEL\ninitramfs INITRD followkernel\n"));
        assertArrayEquals(Rootdisk.MARKER, read(img, t.partition(2).offset(), 4));
        // the initramfs's overlay.conf points at the storage partition by PARTUUID
        if (HostTool.available("cpio", "cpio") && HostTool.available("gzip", "gzip")) {
            String conf = HostTool.run("sh", "-c", "gzip -dc '" + dir.resolve("initrd.gz")
                    + "' | cpio -i --to-stdout etc/strata/overlay.conf 2>/dev/null").ok().output();
            assertTrue(conf.contains("data=PARTUUID=" + t.identifier() + "-02\n"), conf);
            assertTrue(conf.contains("lower=boot:/SYSTEM\n") && conf.contains("boot=LABEL=SYSTEM\n"), conf);
        }
        if (HostTool.available("fsck.fat", "dosfstools")) {
            HostTool.Result fsck = HostTool.run("fsck.fat", "-n", extract(img, system, out.resolve("p1.img")).toString());
            assertEquals(0, fsck.status(), fsck.output());
        }
    }

    @Test
    void norFirmwareIsKernelSquashfsPaddedToTheEraseBlockAndTheMarker() throws Exception {
        Path dir = built.get("openwrt-nor-generic");
        Path fw = only(dir, "-sysupgrade.bin");
        byte[] kernel = Files.readAllBytes(example("openwrt-nor-generic").getParent().resolveSibling("stand-ins/uImage"));
        byte[] b = Files.readAllBytes(fw);
        byte[] squashfs = Files.readAllBytes(dir.resolve("rootfs.squashfs"));
        long used = bytesUsed(dir.resolve("rootfs.squashfs"));
        assertArrayEquals(kernel, java.util.Arrays.copyOfRange(b, 0, kernel.length));
        assertArrayEquals(new byte[65536 - kernel.length], java.util.Arrays.copyOfRange(b, kernel.length, 65536));
        assertArrayEquals(java.util.Arrays.copyOf(squashfs, (int) used), java.util.Arrays.copyOfRange(b, 65536,
                65536 + (int) used));
        int data = (int) ((65536 + used + 65535) / 65536 * 65536);
        for (int i = 65536 + (int) used; i < data; i++) {
            assertEquals((byte) 0xff, b[i], "padding at " + i);
        }
        assertEquals(data + 4, b.length);
        assertArrayEquals(Rootdisk.MARKER, java.util.Arrays.copyOfRange(b, data, data + 4));

        Path tar = only(dir, "-sysupgrade.tar");
        if (HostTool.available("tar", "tar")) {
            String list = HostTool.run("tar", "-tvf", tar.toString(), "--numeric-owner").ok().output();
            List<String> names = list.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
            assertEquals(List.of("sysupgrade-generic-router/", "sysupgrade-generic-router/CONTROL",
                    "sysupgrade-generic-router/kernel", "sysupgrade-generic-router/root"), names);
            assertTrue(list.contains(" 0/0 "), list);
            assertTrue(list.contains("2023-11-14 22:13"), list);
            assertEquals("BOARD=generic-router\n", HostTool.run("tar", "-xOf", tar.toString(),
                    "sysupgrade-generic-router/CONTROL").ok().output());
            String root = HostTool.run("sh", "-c", "tar -xOf '" + tar + "' sysupgrade-generic-router/root | wc -c").ok()
                    .output().strip();
            assertEquals(String.valueOf((squashfs.length + 1023) / 1024 * 1024), root);
        }
    }

    @Test
    void theSameSpecBuildsByteIdenticalImages() throws Exception {
        for (String profile : Profiles.builtin().keySet()) {
            Path a = built.get(profile);
            Path b = build(profile, out.resolve(profile));
            List<String> names;
            try (Stream<Path> s = Files.list(a)) {
                names = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            for (String n : names) {
                assertEquals(sha256(a.resolve(n)), sha256(b.resolve(n)), profile + ": " + n);
            }
        }
    }

    /** A file from a FAT partition of a disk image, through Strata's reader (checked against mtools elsewhere). */
    static byte[] fatFile(Path img, DiskPartition p, String path) throws IOException {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ)) {
            dev.strata.image.fat.FatVolume v = dev.strata.image.fat.FatVolume.open(ch, p.offset(), p.size());
            return v.read(v.find(path).orElseThrow(() -> new IOException(path + " not on the partition")), 1L << 30);
        }
    }
}
