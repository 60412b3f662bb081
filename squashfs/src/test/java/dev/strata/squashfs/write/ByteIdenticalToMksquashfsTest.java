package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.TestCompressors;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.testing.TreeMaterializer;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The strongest agreement there is: where both programs compress with the same library (gzip is
 * zlib in mksquashfs and in the JDK) or not at all (-noI -noD -noF -noX), our image of a tree is,
 * byte for byte, the image mksquashfs 4.5 makes of that tree on disk. Layout, inode numbering,
 * directory headers and indexes, fragment packing, duplicate handling, the id, xattr, fragment and
 * export tables all have to agree for this to hold. (The other compressors' encoders differ from
 * mksquashfs's libraries, so their images can only agree in content: {@link MksquashfsAgreesTest}.)
 *
 * <p>Two things of the generated tree are left out, because mksquashfs takes them from how the
 * file system stores the source rather than from the files: files with all-zero blocks (both store
 * such blocks as sparse, but mksquashfs reports them in the inode only when the source file has
 * holes on disk, st_blocks, which Java cannot see; Strata always reports them; with -no-sparse,
 * where neither looks for them, these files are kept), and long xattr
 * values beside other xattrs (mksquashfs keeps listxattr's order, and ext4 lists the values it keeps
 * outside the inode last; Strata's tree keeps xattrs in name order).
 */
class ByteIdenticalToMksquashfsTest {
    @TempDir
    static Path shared;
    static Path source;
    static FileTree tree;
    /** The tree with its files of all-zero blocks, for -no-sparse, where neither program looks for holes. */
    static Path sourceWithZeros;
    static FileTree treeWithZeros;

    @TempDir
    Path temp;

    @BeforeAll
    static void makeTheTreeOnDisk() throws Exception {
        TreeMaterializer.assumeCanMaterialize();
        TestEnvironment.assumeTools("mksquashfs");
        tree = TreeGenerator.everyKind(128 * 1024, TreeGenerator.NAME_MAX);
        treeWithZeros = TreeGenerator.everyKind(128 * 1024, TreeGenerator.NAME_MAX);
        int removed = withoutZeroBlocks(tree.root());
        org.junit.jupiter.api.Assertions.assertTrue(removed > 0 && removed < 20, removed + " files with zero blocks");
        withoutLongXattrBesideOthers(tree);
        withoutLongXattrBesideOthers(treeWithZeros);
        source = materialized(tree, "source");
        sourceWithZeros = materialized(treeWithZeros, "source-with-zeros");
    }

    private static void withoutLongXattrBesideOthers(FileTree tree) throws java.io.IOException {
        tree.walk((path, node) -> {
            if (node.xattrs().size() > 1) {
                for (String name : new ArrayList<>(node.xattrs().keySet())) {
                    if (node.xattrs().get(name).length > 64) {
                        node.removeXattr(name);
                    }
                }
            }
        });
    }

    private static Path materialized(FileTree tree, String name) throws java.io.IOException {
        Path source = Files.createDirectory(shared.resolve(name));
        Path scratch = Files.createDirectory(shared.resolve(name + "-scratch"));
        TreeMaterializer.materialize(tree, source, scratch);
        // mksquashfs finds hard links by comparing whole struct stats, atime included, and reading a
        // symlink moves its atime (relatime: it is older than the ctime the materializer left):
        // without a first read here, mksquashfs would see the second name of a hard-linked symlink
        // with another atime than the first and store two inodes
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.filter(Files::isSymbolicLink).toList()) {
                Files.readSymbolicLink(p);
            }
        }
        return source;
    }

    static Stream<Arguments> settings() {
        Set<UncompressedPart> none = EnumSet.noneOf(UncompressedPart.class);
        Set<UncompressedPart> all = EnumSet.allOf(UncompressedPart.class);
        return Stream.of(
                Arguments.of(List.of("-noI", "-noD", "-noF", "-noX"), 131072, FragmentPolicy.SMALL_FILES, all),
                Arguments.of(List.of(), 131072, FragmentPolicy.SMALL_FILES, none),
                Arguments.of(List.of("-b", "4096", "-always-use-fragments"), 4096, FragmentPolicy.TAIL_ENDS, none),
                Arguments.of(List.of("-b", "1M", "-no-fragments"), 1 << 20, FragmentPolicy.NONE, none),
                Arguments.of(List.of("-noD", "-b", "64K"), 65536, FragmentPolicy.SMALL_FILES,
                        EnumSet.of(UncompressedPart.DATA)),
                // every name its own inode; duplicate detection stores the data of a hard-linked file once
                Arguments.of(List.of("-no-hardlinks"), 131072, FragmentPolicy.SMALL_FILES, none),
                // zero blocks stored as data (and zero tails in fragments): the tree keeps its files of zeros
                Arguments.of(List.of("-no-sparse", "-tailends"), 131072, FragmentPolicy.TAIL_ENDS, none),
                // data in priority order: directories pass theirs down, a hard-linked file goes where its
                // first name in that order puts it, equal priorities in reverse name order
                Arguments.of(List.of("-sort", "SORT_FILE"), 131072, FragmentPolicy.SMALL_FILES, none),
                // the image 5000 bytes into the file, zeros before it, padded from its own start
                Arguments.of(List.of("-offset", "5000"), 131072, FragmentPolicy.SMALL_FILES, none));
    }

    /** Removes the files holding a 4 KiB-aligned run of 4 KiB zeros or ending in zeros; returns how many. */
    private static int withoutZeroBlocks(DirectoryNode dir) throws java.io.IOException {
        int removed = 0;
        for (var e : new ArrayList<>(dir.children().entrySet())) {
            if (e.getValue() instanceof DirectoryNode d) {
                removed += withoutZeroBlocks(d);
            } else if (e.getValue() instanceof FileNode f && hasZeroBlock(f)) {
                dir.remove(e.getKey());
                removed++;
            }
        }
        return removed;
    }

    private static boolean hasZeroBlock(FileNode f) throws java.io.IOException {
        try (java.io.InputStream in = f.content().open()) {
            byte[] chunk = new byte[4096];
            int n;
            while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                boolean zero = true;
                for (int i = 0; i < n && zero; i++) {
                    zero = chunk[i] == 0;
                }
                if (zero) {
                    return true;
                }
            }
        }
        return false;
    }

    @ParameterizedTest(name = "mksquashfs {0}")
    @MethodSource("settings")
    void sameBytesAsMksquashfs(List<String> mksquashfsOptions, int blockSize, FragmentPolicy fragments,
                               Set<UncompressedPart> uncompressed) throws Exception {
        Path theirs = temp.resolve("mksquashfs.sqfs");
        List<String> cmd = new ArrayList<>(List.of("mksquashfs", (mksquashfsOptions.contains("-no-sparse")
                ? sourceWithZeros : source).toString(), theirs.toString(), "-noappend",
                "-no-progress", "-quiet", "-comp", "gzip", "-mkfs-time", "1700000000"));
        Map<String, Integer> priorities = Map.of("/links/sub", 20, "/files/random-131073", 10, "/files", -5,
                "/many-entries", 3, "/files/text-100", 3, "/links/file-b", -7);
        Path sortFile = temp.resolve("sort.txt");
        StringBuilder lines = new StringBuilder();
        priorities.forEach((path, priority) -> lines.append(path.substring(1)).append(' ').append(priority).append('\n'));
        Files.writeString(sortFile, lines);
        cmd.addAll(mksquashfsOptions.stream().map(o -> o.equals("SORT_FILE") ? sortFile.toString() : o).toList());
        ExternalCommand.runChecked(cmd);

        boolean sparse = !mksquashfsOptions.contains("-no-sparse");
        WriterOptions options = WriterOptions.builder(TestCompressors.defaults(CompressorId.GZIP, blockSize))
                .blockSize(blockSize).fragments(fragments).uncompressed(uncompressed).mkfsTime(1_700_000_000L)
                .processors(2).sparse(sparse).hardLinks(!mksquashfsOptions.contains("-no-hardlinks"))
                .sortPriorities(mksquashfsOptions.contains("-sort") ? priorities : Map.of())
                .fileOffset(mksquashfsOptions.contains("-offset") ? 5000 : 0).build();
        Path source = sparse ? ByteIdenticalToMksquashfsTest.source : sourceWithZeros;
        FileTree tree = sparse ? ByteIdenticalToMksquashfsTest.tree : treeWithZeros;
        byte[] expected = Files.readAllBytes(theirs);
        Path ours = temp.resolve("ours.sqfs");
        new SquashfsWriter(options).write(tree, ours);
        assertSameBytes(expected, Files.readAllBytes(ours), "written from the tree");
        // and from the directory on disk, as `strata squashfs create` reads it (trusted.* and security.* too)
        Path loaded = temp.resolve("loaded.sqfs");
        new SquashfsWriter(options).write(new DirectoryTreeLoader().load(source), loaded);
        assertSameBytes(expected, Files.readAllBytes(loaded), "written from DirectoryTreeLoader");
    }

    private static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": image length");
        int first = java.util.Arrays.mismatch(expected, actual);
        assertEquals(-1, first, what + ": first differing byte at offset " + first);
    }
}
