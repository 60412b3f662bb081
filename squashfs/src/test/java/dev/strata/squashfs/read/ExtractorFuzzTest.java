package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.testing.TempDirs;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged images extracted to disk: whatever the damage, the extractor ends with a report, a
 * CorruptImageException naming a byte offset or an IOException with a message, within a time limit,
 * and nothing appears outside the destination. The image holds symlinks that point out of it
 * (absolute, ../, ../../) and entries with names of the same length, stored uncompressed so that
 * its tables can be damaged byte by byte: every name swapped for every other (a directory or file
 * that takes a symlink's name is what would make a careless extractor write through the symlink),
 * then random damage as in {@link CorruptImageFuzzTest}. Random cases: system property
 * strata.fuzz.extractions.
 */
class ExtractorFuzzTest {
    private static final int RANDOM_CASES = Integer.getInteger("strata.fuzz.extractions", 1000);
    @RegisterExtension
    static final DamagedCases CASES = new DamagedCases(Duration.ofSeconds(10));
    private static final List<String> NAMES = List.of("absl", "rel1", "dir1", "file", "rel2", "dir2", "deep",
            "hard", "fifo", "null");

    @TempDir
    Path temp;

    @Test
    void damagedImagesNeverWriteOutsideTheDestination() throws Exception {
        Path sandbox = Files.createDirectory(temp.resolve("sandbox"));
        Path outside = Files.createDirectory(sandbox.resolve("outside"));
        byte[] image = seedImage(outside);
        assertEquals("report", extractOnce(sandbox, outside, image, "undamaged"), "the undamaged image extracts");

        Map<String, Integer> outcomes = new TreeMap<>();
        int cases = 0;
        for (String from : NAMES) {
            for (String to : NAMES) {
                if (!from.equals(to)) {
                    byte[] swapped = swapName(image, from, to);
                    outcomes.merge(extractOnce(sandbox, outside, swapped, from + " renamed " + to), 1, Integer::sum);
                    cases++;
                }
            }
        }
        ImageMutator mutator = new ImageMutator(image);
        SplittableRandom random = new SplittableRandom(31);
        for (int i = 0; i < RANDOM_CASES; i++) {
            ImageMutator.Mutation m = mutator.mutate(random);
            outcomes.merge(extractOnce(sandbox, outside, m.image(), "mutation " + i + " (" + m.description() + ")"),
                    1, Integer::sum);
            cases++;
        }
        System.out.printf("extractor fuzz: %d damaged images extracted (as root: %s): %s%n", cases,
                TestEnvironment.isRoot(), outcomes);
        assertTrue(outcomes.getOrDefault("corrupt", 0) > 0, "some damage must be detected: " + outcomes);
    }

    /**
     * A root whose entries all have four-byte names: symlinks out of the destination at two depths,
     * directories, a file, a hard link, a fifo and a device node.
     */
    private byte[] seedImage(Path outside) throws IOException {
        FileTree tree = new FileTree();
        tree.root().put("absl", new SymlinkNode(outside.toString()));
        tree.root().put("rel1", new SymlinkNode("../outside"));
        DirectoryNode dir1 = tree.mkdirs("dir1");
        FileNode file = new FileNode(FileContent.of("inside\n".getBytes(StandardCharsets.US_ASCII)), 0644);
        dir1.put("file", file);
        dir1.put("rel2", new SymlinkNode("../../outside"));
        DirectoryNode dir2 = tree.mkdirs("dir1/dir2");
        dir2.put("deep", new FileNode(FileContent.of(new byte[5000]), 0600));
        tree.root().put("hard", file);
        tree.root().put("fifo", new IpcNode(NodeType.FIFO, 0600));
        tree.root().put("null", new DeviceNode(NodeType.CHAR_DEVICE, 1, 3, 0666));
        Path image = temp.resolve("seed.sqfs");
        new SquashfsWriter(WriterOptions.builder(new StoredCompressor()).blockSize(4096).build()).write(tree, image);
        return Files.readAllBytes(image);
    }

    /** The image with the first directory entry named from renamed to (same length). */
    private static byte[] swapName(byte[] image, String from, String to) {
        byte[] b = image.clone();
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + f.length <= b.length; i++) {
            // a directory entry: size - 1 as u16 right before the name
            if (i >= 2 && b[i - 2] == f.length - 1 && b[i - 1] == 0
                    && java.util.Arrays.equals(b, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, b, i, t.length);
                return b;
            }
        }
        throw new AssertionError("no directory entry named " + from + " in the seed image");
    }

    /** Extracts into a new directory beside outside; checks the outcome and outside; cleans up. */
    private String extractOnce(Path sandbox, Path outside, byte[] image, String what) throws Exception {
        Path dest = sandbox.resolve("dest");
        String outcome = CASES.run(() -> extract(image, dest), "report", what);
        try (Stream<Path> s = Files.list(outside)) {
            List<Path> written = s.toList();
            assertEquals(List.of(), written, what + ": written outside the destination");
        }
        try (Stream<Path> s = Files.list(sandbox)) {
            List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
            names.remove("dest");
            assertEquals(List.of("outside"), names, what + ": written beside the destination");
        }
        TempDirs.deleteRecursively(dest);
        return outcome;
    }

    private static void extract(byte[] image, Path dest) throws IOException {
        try (SquashfsImage read = SquashfsImage.open(new MemoryFileChannel(image), 0)) {
            new ImageExtractor(read, new ImageExtractor.Options(TestEnvironment.isRoot(), 2)).extract(dest);
        }
    }
}
