package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.TempDirs;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.write.FragmentPolicy;
import dev.strata.squashfs.write.SquashfsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property: any tree the writer writes, with any settings, reads back unchanged through the reader
 * (the tree model, and random-access reads at random positions) and through the NIO file system (the
 * project's own DirectoryTreeLoader walking it, which sees user.* xattrs only).
 */
class WrittenTreesReadBackTest {

    @Provide
    Arbitrary<ImageConfig> configs() {
        Arbitrary<CompressorId> compressors = Arbitraries.of(CompressorId.GZIP, CompressorId.XZ, CompressorId.LZ4,
                CompressorId.LZO, CompressorId.ZSTD);
        Arbitrary<Integer> blockSizes = Arbitraries.of(4096, 16384, 128 * 1024);
        Arbitrary<FragmentPolicy> fragments = Arbitraries.of(FragmentPolicy.values());
        return Combinators.combine(compressors, blockSizes, fragments, Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as((c, bs, f, minimal, pad) -> {
                    ImageConfig config = ImageConfig.of(c, bs).fragments(f);
                    config = minimal ? config.minimal() : config;
                    return pad ? config : config.unpadded();
                });
    }

    @Property(tries = 20)
    void randomTreesReadBackUnchanged(@ForAll("configs") ImageConfig config,
                                      @ForAll("seeds") long seed) throws IOException {
        FileTree tree = TreeGenerator.random(seed, 60, config.blockSize(), Name.MAX_LENGTH);
        Path dir = TempDirs.create("strata-roundtrip-");
        try {
            Path image = dir.resolve("image.sqfs");
            new SquashfsWriter(config.options()).write(tree, image);
            String context = config + ", seed " + seed;
            FsSnapshot expected = FsSnapshot.of(tree);
            try (SquashfsImage read = SquashfsImage.open(image)) {
                expected.assertMatches(FsSnapshot.of(read.toTree()), "reader, " + context);
                randomReads(read, tree, new SplittableRandom(seed));
            }
            try (FileSystem fs = FileSystems.newFileSystem(image)) {
                FileTree loaded = new DirectoryTreeLoader().load(fs.getPath("/"));
                expected.map(WrittenTreesReadBackTest::userXattrsOnly)
                        .assertMatches(FsSnapshot.of(loaded).map(WrittenTreesReadBackTest::userXattrsOnly),
                                "NIO file system, " + context);
            }
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().between(0, 1_000_000);
    }

    /** Every file read at random positions through a seekable channel equals the tree's bytes there. */
    private static void randomReads(SquashfsImage image, FileTree tree, SplittableRandom r) throws IOException {
        Map<List<byte[]>, FileNode> files = new LinkedHashMap<>();
        collectFiles(tree.root(), new ArrayList<>(), files);
        for (Map.Entry<List<byte[]>, FileNode> f : files.entrySet()) {
            String path = f.getValue().content().origin();
            byte[] content;
            try (InputStream in = f.getValue().content().open()) {
                content = in.readAllBytes();
            }
            try (SeekableByteChannel ch = image.newByteChannel(image.lookup(f.getKey(), false, path))) {
                assertEquals(content.length, ch.size(), path);
                for (int i = 0; i < 4 && content.length > 0; i++) {
                    int at = r.nextInt(content.length);
                    int len = Math.min(content.length - at, 1 + r.nextInt(3 * image.blockSize()));
                    ByteBuffer buf = ByteBuffer.allocate(len);
                    ch.position(at);
                    while (buf.hasRemaining() && ch.read(buf) > 0) {
                        // fill
                    }
                    assertArrayEquals(Arrays.copyOfRange(content, at, at + len), buf.array(), path + " at " + at);
                }
            }
        }
    }

    private static void collectFiles(DirectoryNode dir, List<byte[]> path, Map<List<byte[]>, FileNode> out) {
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            List<byte[]> child = new ArrayList<>(path);
            child.add(e.getKey().bytes());
            if (e.getValue() instanceof DirectoryNode d) {
                collectFiles(d, child, out);
            } else if (e.getValue() instanceof FileNode f) {
                out.put(child, f);
            }
        }
    }

    static FsSnapshot.Entry userXattrsOnly(FsSnapshot.Entry e) {
        TreeMap<String, String> x = new TreeMap<>();
        if (e.type() != NodeType.SYMLINK) {
            e.xattrs().forEach((k, v) -> {
                if (k.startsWith("user.")) {
                    x.put(k, v);
                }
            });
        }
        return new FsSnapshot.Entry(e.type(), e.permissions(), e.uid(), e.gid(), e.mtime(), e.size(), e.major(),
                e.minor(), e.target(), e.digest(), x, e.nlink(), e.linkGroup());
    }
}
