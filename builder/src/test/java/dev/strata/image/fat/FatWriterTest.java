package dev.strata.image.fat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.image.BudgetException;
import dev.strata.image.HostTool;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FatWriterTest {
    static final long EPOCH = 1_700_000_000L;
    static final long SIZE = 64L << 20;
    static final Map<String, String> MTOOLS = Map.of("MTOOLS_SKIP_CHECK", "1");

    @TempDir
    Path dir;

    /** Path to content of every file in the boot-partition-like tree the tests write. */
    static Map<String, byte[]> files() {
        Map<String, byte[]> f = new TreeMap<>();
        Random r = new Random(42);
        f.put("/kernel.img", random(r, 300_001));
        f.put("/cmdline.txt", "console=serial0,115200 root=PARTUUID=5452574f-02 rootwait\n".getBytes(StandardCharsets.UTF_8));
        f.put("/config.txt", "kernel=kernel.img\n".getBytes(StandardCharsets.UTF_8));
        f.put("/bcm2709-rpi-2-b.dtb", random(r, 25_000));
        f.put("/UPPER.TXT", "short name only\n".getBytes(StandardCharsets.UTF_8));
        f.put("/empty", new byte[0]);
        f.put("/exactly-one-cluster.bin", random(r, 2048));
        f.put("/overlays/README", "overlays\n".getBytes(StandardCharsets.UTF_8));
        f.put("/overlays/disable-bt.dtbo", random(r, 1500));
        f.put("/overlays/Mixed Case With Spaces.dtbo", random(r, 10));
        f.put("/deep/a/b/c/" + "a-name-that-is-much-longer-than-thirteen-characters-".repeat(3) + "end.txt",
                "deep\n".getBytes(StandardCharsets.UTF_8));
        f.put("/caf\u00e9 cr\u00e8me.txt", "unicode\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 120; i++) {
            f.put(String.format("/many/file-number-%03d.dat", i), random(r, i * 37));
        }
        return f;
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static FileTree tree(Map<String, byte[]> files) {
        FileTree t = new FileTree();
        t.root().setMtime(EPOCH);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            t.put(e.getKey(), new FileNode(FileContent.of(e.getValue()), 0644).setMtime(EPOCH));
        }
        t.walk((p, n) -> n.setMtime(EPOCH));
        return t;
    }

    static FatWriter.Result write(FileTree tree, Path image, long size, FatType type, String label) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING)) {
            FatWriter.Result r = new FatWriter(new FatWriter.Options(type, label, 0x1234abcd, 0, "the boot partition",
                    "raise boot-size")).write(tree, ch, 0, size);
            ch.truncate(size);
            if (ch.size() < size) {
                ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
            }
            return r;
        }
    }

    @ParameterizedTest
    @EnumSource(FatType.class)
    void fsckAcceptsTheVolumeAndMtoolsReadsEveryFileWithItsLongName(FatType type) throws Exception {
        HostTool.assume("dosfstools", "fsck.fat");
        HostTool.assume("mtools", "mcopy", "mdir");
        Map<String, byte[]> files = files();
        Path image = dir.resolve("boot.img");
        FatWriter.Result r = write(tree(files), image, SIZE, type, "boot");
        assertEquals(type, r.geometry().type());

        HostTool.Result fsck = HostTool.run("fsck.fat", "-n", "-v", image.toString());
        assertEquals(0, fsck.status(), fsck.output());
        assertFalse(fsck.output().contains("differ"), fsck.output());
        assertTrue(fsck.output().contains("boot"), "label shown by fsck.fat:\n" + fsck.output());

        HostTool.Result listing = HostTool.run(MTOOLS, "mdir", "-/", "-b", "-i", image.toString(), "::/").ok();
        for (String path : files.keySet()) {
            assertTrue(listing.output().contains("::" + path), path + " missing from mdir:\n" + listing.output());
        }
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        HostTool.run(MTOOLS, "mcopy", "-s", "-n", "-i", image.toString(), "::/*", out.toString()).ok();
        assertEquals(files.keySet(), hostFiles(out).keySet());
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(out.resolve(e.getKey().substring(1))), e.getKey());
        }
    }

    @ParameterizedTest
    @EnumSource(FatType.class)
    void theKernelMountsTheVolumeAndSeesTheSameTree(FatType type) throws Exception {
        HostTool.assumeRootWithLoop();
        HostTool.assumeFilesystem("vfat");
        Map<String, byte[]> files = files();
        Path image = dir.resolve("boot.img");
        write(tree(files), image, SIZE, type, "BOOT");
        Path mnt = dir.resolve("mnt");
        Files.createDirectories(mnt);
        HostTool.run("mount", "-t", "vfat", "-o", "loop,ro,utf8,tz=UTC", image.toString(), mnt.toString()).ok();
        try {
            Map<String, byte[]> seen = hostFiles(mnt);
            assertEquals(files.keySet(), seen.keySet());
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                assertArrayEquals(e.getValue(), seen.get(e.getKey()), e.getKey());
            }
            assertEquals(EPOCH, Files.getLastModifiedTime(mnt.resolve("kernel.img")).toMillis() / 1000, "mtime (UTC)");
        } finally {
            HostTool.run("umount", mnt.toString());
        }
    }

    @Test
    void theSameTreeGivesTheSameBytes() throws Exception {
        Path a = dir.resolve("a.img");
        Path b = dir.resolve("b.img");
        write(tree(files()), a, SIZE, null, "boot");
        write(tree(files()), b, SIZE, null, "boot");
        assertEquals(sha256(a), sha256(b));
    }

    @Test
    void volumeReaderListsLongNamesAndAddsARootFileThatFsckAndMtoolsAccept() throws Exception {
        Path image = dir.resolve("boot.img");
        Map<String, byte[]> files = files();
        write(tree(files), image, SIZE, FatType.FAT32, "boot");
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FatVolume v = FatVolume.open(ch, 0, SIZE);
            assertEquals("boot", v.label());
            List<String> names = v.list("/overlays").stream().map(FatVolume.FatEntry::name).toList();
            assertEquals(List.of("Mixed Case With Spaces.dtbo", "README", "disable-bt.dtbo"), names);
            FatVolume.FatEntry kernel = v.find("/KERNEL.IMG").orElseThrow();
            assertArrayEquals(files.get("/kernel.img"), v.read(kernel, 1 << 20));
            v.putRootFile("strata-reset", "/etc/config\n".getBytes(StandardCharsets.UTF_8), EPOCH);
            v.putRootFile("strata-reset", "/etc/config\n/etc/dropbear\n".getBytes(StandardCharsets.UTF_8), EPOCH);
        }
        if (HostTool.available("fsck.fat", "dosfstools") && HostTool.available("mtype", "mtools")) {
            HostTool.Result fsck = HostTool.run("fsck.fat", "-n", image.toString());
            assertEquals(0, fsck.status(), fsck.output());
            HostTool.Result type = HostTool.run(MTOOLS, "mtype", "-i", image.toString(), "::/strata-reset").ok();
            assertEquals("/etc/config\n/etc/dropbear\n", type.output());
        }
    }

    @Test
    void namesFatCannotHoldAreRefusedWithTheirPath() {
        FileTree clash = new FileTree();
        clash.put("/dir/README", new FileNode(FileContent.of(new byte[1]), 0644));
        clash.put("/dir/readme", new FileNode(FileContent.of(new byte[1]), 0644));
        FatException e = assertThrows(FatException.class, () -> write(clash, dir.resolve("x.img"), SIZE, null, null));
        assertEquals("the boot partition: /dir/README and /dir/readme are the same name on FAT, which ignores case",
                e.getMessage());

        FileTree colon = new FileTree();
        colon.put("/a:b", new FileNode(FileContent.of(new byte[1]), 0644));
        e = assertThrows(FatException.class, () -> write(colon, dir.resolve("x.img"), SIZE, null, null));
        assertEquals("the boot partition: /a:b: 'a:b' holds ':', which FAT does not allow in names", e.getMessage());

        FileTree link = new FileTree();
        link.put("/l", new SymlinkNode("x"));
        e = assertThrows(FatException.class, () -> write(link, dir.resolve("x.img"), SIZE, null, null));
        assertTrue(e.getMessage().contains("/l is a symlink; FAT holds only directories and regular files"),
                e.getMessage());
    }

    @Test
    void filesLargerThanTheVolumeFailWithTheOverflowAndTheLargestFiles() {
        FileTree t = new FileTree();
        t.put("/big", new FileNode(FileContent.of(new byte[3 << 20]), 0644));
        t.put("/small", new FileNode(FileContent.of(new byte[10]), 0644));
        BudgetException e = assertThrows(BudgetException.class, () -> write(t, dir.resolve("x.img"), 3L << 20, null, null));
        assertTrue(e.getMessage().matches("the boot partition \\(FAT16, 512-byte clusters\\) is too small by 41,984 bytes: "
                + "it holds 3,104,256 bytes \\(3.0 MiB\\) and needs 3,146,240 \\(3.0 MiB\\); .*"), e.getMessage());
        assertTrue(e.getMessage().contains("; largest: /big 3.0 MiB, /small 10 B; raise boot-size"), e.getMessage());
        assertTrue(e.over() > 0);
    }

    @Test
    void tooSmallForFat32SaysHowLargeItMustBe() {
        FatException e = assertThrows(FatException.class, () -> FatGeometry.compute(16L << 20, FatType.FAT32));
        assertTrue(e.getMessage().contains("make the partition at least"), e.getMessage());
    }

    static Map<String, byte[]> hostFiles(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put("/" + root.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
