package dev.strata.overlay.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.overlay.merge.nio.MergedFileSystems;
import dev.strata.squashfs.read.SquashfsImage;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriterOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our merge against the real kernel: random lowers written by our writer and loop-mounted, a real
 * overlay on top, random operations through it; afterwards our merge of (the images as our reader
 * reads them, the upper directory) must list exactly what the kernel's overlay, mounted again
 * read-only, shows.
 *
 * <p>-Dstrata.difftest.seeds=N (default 60) seeds of -Dstrata.difftest.ops=M (default 100)
 * operations; -Dstrata.difftest.seed=S runs only seed S (how a failure is reproduced).
 */
class KernelDifferentialTest {
    private static Path scratch;
    private static String unavailable;
    private static boolean keepScratch;
    private static int archiveChecks;
    private static int ociChecks;
    private static int exportChecks;
    private static final Path STRATA_EXPORT =
            Path.of("src/main/resources/dev/strata/overlay/device/strata-export").toAbsolutePath();
    private static final Path BUSYBOX = findBusybox();

    private static Path findBusybox() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "busybox");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        System.err.println("[SKIPPED] strata-export round trips: busybox not installed (apt-get install busybox-static)");
        return null;
    }

    @BeforeAll
    static void probe() throws IOException {
        scratch = Files.createTempDirectory("strata-overlay-diff");
        unavailable = KernelMounts.unavailableReason(scratch, img -> {
            try {
                writeImage(new TreeBuilder().file("f", "x").tree, img);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (unavailable != null) {
            System.err.println("[SKIPPED] kernel differential tests: " + unavailable);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (scratch != null && !keepScratch && !isMountedBelow(scratch)) {
            MountOperations.deleteTree(scratch);
        }
    }

    static void writeImage(FileTree tree, Path image) throws IOException {
        new SquashfsWriter(WriterOptions.builder(dev.strata.squashfs.compress.Compressors.defaults(dev.strata.squashfs.compress.CompressorId.GZIP, WriterOptions.DEFAULT_BLOCK_SIZE)).processors(1).mkfsTime(0).build())
                .write(tree, image);
    }

    @Test
    void mergeOfImageAndUpperDirectoryEqualsTheKernelsOverlay() throws IOException {
        assumeTrue(unavailable == null, unavailable);
        long only = Long.getLong("strata.difftest.seed", -1L);
        int seeds = Integer.getInteger("strata.difftest.seeds", 60);
        int ops = Integer.getInteger("strata.difftest.ops", 100);
        List<Long> list = new ArrayList<>();
        if (only >= 0) {
            list.add(only);
        } else {
            for (long s = 1; s <= seeds; s++) {
                list.add(s);
            }
        }
        int total = 0;
        for (long seed : list) {
            total += runSeed(seed, ops);
        }
        System.out.println("kernel differential test: " + list.size() + " seeds, " + total
                + " operations through the overlay; our merge and its java.nio view equal the kernel's with the"
                + " upper as a directory (all seeds), as a GNU tar (" + archiveChecks + " seeds),"
                + " as strata-export's archive made by busybox (" + exportChecks + " seeds) and as an OCI layer ("
                + ociChecks + " seeds; the others hold .wh. names or names that are not UTF-8)");
    }

    @Test
    void aDirectoryRenamedWithRedirectDirOnIsReportedNotGuessed() throws IOException {
        assumeTrue(unavailable == null, unavailable);
        Path dir = Files.createDirectories(scratch.resolve("redirect"));
        FileTree lower = new TreeBuilder().file("old/f", "data").file("keep", "k").tree;
        Path image = dir.resolve("lower.sqfs");
        writeImage(lower, image);
        Path l = Files.createDirectories(dir.resolve("lower"));
        Path u = Files.createDirectories(dir.resolve("upper"));
        Path w = Files.createDirectories(dir.resolve("work"));
        Path m = Files.createDirectories(dir.resolve("merged"));
        try (KernelMounts mounts = new KernelMounts()) {
            mounts.mountSquashfs(image, l);
            mounts.mountOverlayWith(l.toString(), u, w, m, "index=off,metacopy=off,redirect_dir=on");
            Files.move(m.resolve("old"), m.resolve("new"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            mounts.unmount(m);
        }
        try (SquashfsImage img = SquashfsImage.open(image)) {
            MergedTree t = new OverlayMerge().merge(new UpperDirectoryReader(MergeOptions.defaults()).read(u),
                    Layer.lower("lower", img.toTree()));
            assertTrue(t.find("new").unsupported() != null, "the renamed directory is marked");
            assertEquals(MergeFinding.Kind.UNSUPPORTED_REDIRECT, t.findings().get(0).kind(), t.findings().toString());
            assertEquals("/new", t.findings().get(0).path());
        }
        MountOperations.deleteTree(dir);
    }

    /** Runs one scenario; returns the number of operations done. */
    private static int runSeed(long seed, int opCount) throws IOException {
        Random random = new Random(seed);
        // every fifth seed mounts with userxattr: overlay xattrs in user.overlay.*
        MergeOptions options = new MergeOptions(seed % 5 == 0, true);
        Path dir = Files.createDirectories(scratch.resolve("seed-" + seed));
        int lowerCount = 1 + random.nextInt(2);
        List<FileTree> lowers = new ArrayList<>();
        List<Path> lowerMounts = new ArrayList<>();
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path merged = Files.createDirectories(dir.resolve("merged"));
        List<String> opLog;
        List<String> kernel;
        try (KernelMounts mounts = new KernelMounts()) {
            for (int i = 0; i < lowerCount; i++) {
                FileTree tree = new RandomLayers(random, true, options.xattrs()).tree();
                lowers.add(tree);
                Path image = dir.resolve("lower" + i + ".sqfs");
                writeImage(tree, image);
                Path at = Files.createDirectories(dir.resolve("lower" + i));
                mounts.mountSquashfs(image, at);
                lowerMounts.add(at);
            }
            mounts.mountOverlay(lowerMounts, upper, work, merged, false, options.userxattr());
            MountOperations operations = new MountOperations(random, merged);
            try {
                operations.run(opCount);
            } finally {
                opLog = operations.log();
                mounts.unmount(merged);
            }
            mounts.mountOverlay(lowerMounts, upper, work, merged, true, options.userxattr());
            kernel = TreeListing.of(merged);
            if (BUSYBOX != null) {
                // what a device would send: strata-export run by busybox against the live overlay
                KernelMounts.run("env", "ST_DATA=" + dir, "ST_MERGED=" + merged, BUSYBOX.toString(), "sh",
                        STRATA_EXPORT.toString(), dir.resolve("export.tgz").toString());
            }
            mounts.unmount(merged);
        }
        Layer upperLayer = new UpperDirectoryReader(options).read(upper);
        List<Layer> lowerLayers = new ArrayList<>();
        List<SquashfsImage> images = new ArrayList<>();
        MergedTree ours;
        List<String> mine;
        try {
            for (int i = 0; i < lowers.size(); i++) {
                SquashfsImage image = SquashfsImage.open(dir.resolve("lower" + i + ".sqfs"));
                images.add(image);
                lowerLayers.add(Layer.lower("lower" + i, image.toTree()));
            }
            ours = merge(upperLayer, lowerLayers, options);
            mine = TreeListing.of(ours);
            if (mine.equals(kernel)) {
                // sorted: the listing orders siblings by the host's name bytes, which a foreign Path
                // only shows as text (\xNN for bytes that are not UTF-8)
                List<String> viaNio = new ArrayList<>(TreeListing.of(MergedFileSystems.of(ours).getPath("/")));
                List<String> kernelSorted = new ArrayList<>(kernel);
                viaNio.sort(null);
                kernelSorted.sort(null);
                if (!viaNio.equals(kernelSorted)) {
                    keepScratch = true;
                    fail("seed " + seed + ": the merged java.nio file system differs from the kernel's overlay;"
                            + " reproduce with -Dstrata.difftest.seed=" + seed + "\n"
                            + TreeListing.difference(kernel, viaNio));
                }
                checkArchiveForms(seed, dir, upper, upperLayer, lowerLayers, kernel, options);
            }
        } finally {
            for (SquashfsImage image : images) {
                image.close();
            }
        }
        if (!mine.equals(kernel)) {
            keepScratch = true;
            fail("seed " + seed + ": our merge differs from the kernel's overlay (" + lowerCount + " lowers, "
                    + opCount + " operations); reproduce with -Dstrata.difftest.seed=" + seed
                    + "; files kept in " + dir + "\n" + TreeListing.difference(kernel, mine)
                    + "operations:\n  " + String.join("\n  ", opLog) + "\nfindings: " + ours.findings());
        }
        if (Boolean.getBoolean("strata.difftest.verbose")) {
            System.out.println("seed " + seed + ":\n  " + String.join("\n  ", opLog) + "\nmerged:\n  "
                    + String.join("\n  ", mine));
        }
        MountOperations.deleteTree(dir);
        return opLog.size();
    }

    private static MergedTree merge(Layer upper, List<Layer> lowers, MergeOptions options) {
        List<Layer> layers = new ArrayList<>();
        layers.add(upper);
        layers.addAll(lowers);
        return new OverlayMerge(options).merge(layers);
    }

    /**
     * The same upper given as archives must merge to the same tree: a GNU tar with xattrs (whiteouts
     * as devices) must match the kernel exactly; an OCI layer (".wh." markers, no overlay xattrs)
     * must match what lookups find. Uppers holding ".wh." names of their own cannot be an OCI layer.
     */
    private static void checkArchiveForms(long seed, Path dir, Path upper, Layer upperLayer, List<Layer> lowers,
                                          List<String> kernel, MergeOptions options) throws IOException {
        if (BUSYBOX != null) {
            Layer exported = new UpperArchiveReader(options).read(dir.resolve("export.tgz"),
                    UpperArchiveReader.Format.AUTO);
            List<String> viaExport = TreeListing.of(merge(exported, lowers, options));
            if (!viaExport.equals(kernel)) {
                keepScratch = true;
                fail("seed " + seed + ": the upper as strata-export's archive merges differently from the kernel's"
                        + " overlay; reproduce with -Dstrata.difftest.seed=" + seed + "\n"
                        + TreeListing.difference(kernel, viaExport));
            }
            exportChecks++;
        }
        Path tar = dir.resolve("upper.tar");
        KernelMounts.run("tar", "--xattrs", "--xattrs-include=*", "--format=pax", "-cf", tar.toString(),
                "-C", upper.toString(), ".");
        Layer fromTar = new UpperArchiveReader(options).read(tar, UpperArchiveReader.Format.AUTO);
        List<String> viaTar = TreeListing.of(merge(fromTar, lowers, options));
        if (!viaTar.equals(kernel)) {
            keepScratch = true;
            fail("seed " + seed + ": the upper as a tar merges differently from the kernel's overlay;"
                    + " reproduce with -Dstrata.difftest.seed=" + seed + "\n" + TreeListing.difference(kernel, viaTar));
        }
        archiveChecks++;
        boolean[] ociNames = {false};
        upperLayer.tree().walk((path, node) -> ociNames[0] |= path.contains("/" + UpperArchiveReader.OCI_WHITEOUT_PREFIX)
                // the test's OCI writer takes names as text
                || path.contains("\\x"));
        if (ociNames[0]) {
            return;
        }
        Path oci = dir.resolve("upper-oci.tar");
        OciLayerWriter.write(upperLayer, oci, options.xattrs());
        Layer fromOci = new UpperArchiveReader(options).read(oci, UpperArchiveReader.Format.AUTO);
        List<String> viaOci = TreeListing.of(merge(fromOci, lowers, options));
        viaOci.removeIf(l -> l.endsWith("lookup says ENOENT"));
        List<String> found = new ArrayList<>(kernel);
        found.removeIf(l -> l.endsWith("lookup says ENOENT"));
        if (!viaOci.equals(found)) {
            keepScratch = true;
            fail("seed " + seed + ": the upper as an OCI layer merges differently from the kernel's overlay;"
                    + " reproduce with -Dstrata.difftest.seed=" + seed + "\n" + TreeListing.difference(found, viaOci));
        }
        ociChecks++;
    }

    private static boolean isMountedBelow(Path p) throws IOException {
        String abs = p.toAbsolutePath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1 && f[1].startsWith(abs)) {
                return true;
            }
        }
        return false;
    }
}
