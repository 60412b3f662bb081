package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.KernelMount;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.NodeType;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images made by the other writer in the field, squashfs-tools-ng's gensquashfs (1.2, from Debian), read
 * back as the kernel and squashfs-tools-ng's own rdsquashfs see them, through the reader, the extractor
 * and the NIO file system. gensquashfs lays images out otherwise than mksquashfs (inode and fragment
 * order, extended inodes, a file of holes only starts at byte 0, directory link counts of 2 plus every
 * entry), and writes what mksquashfs 4.5 cannot: LZMA with other lc/lp/pb, XZ with lc/lp/pb in the
 * LZMA2 chunks. (unsquashfs 4.5 refuses its lz4 images, which the kernel mounts: "failed to read id
 * table block"; the reader must not.)
 */
class ReaderMatchesSquashfsToolsNgTest {
    @TempDir
    Path temp;

    static Stream<Arguments> matrix() {
        int k128 = 128 * 1024;
        return Stream.of(
                Arguments.of("gzip defaults", k128, List.of("-c", "gzip"), true),
                Arguments.of("gzip level 1, window 10, filtered and rle", k128,
                        List.of("-c", "gzip", "-X", "level=1,window=10,filtered,rle"), true),
                Arguments.of("gzip no tail packing", k128, List.of("-c", "gzip", "--no-tail-packing"), true),
                Arguments.of("xz defaults, exportable", k128, List.of("-c", "xz", "--exportable"), true),
                Arguments.of("xz lc 1 lp 2 pb 0, 64K dictionary, x86 and arm filters", k128,
                        List.of("-c", "xz", "-X", "dictsize=64K,lc=1,lp=2,pb=0,x86,arm"), true),
                Arguments.of("lzma defaults", k128, List.of("-c", "lzma"), true),
                Arguments.of("lzma lc 0 lp 2 pb 2, 4K blocks", 4096,
                        List.of("-c", "lzma", "-X", "lc=0,lp=2,pb=2", "-b", "4096"), true),
                Arguments.of("lz4 defaults", k128, List.of("-c", "lz4"), true),
                Arguments.of("lz4 hc", k128, List.of("-c", "lz4", "-X", "hc"), true),
                // rdsquashfs 1.2 fails on a 1-byte tail block of this image ("reading data block: numeric
                // overflow"); the kernel reads it
                Arguments.of("lz4 no tail packing", k128, List.of("-c", "lz4", "--no-tail-packing"), false),
                Arguments.of("lzo defaults (lzo1x_999 level 8)", k128, List.of("-c", "lzo"), true),
                // this gensquashfs makes lzo1x_999 only ("-X algorithm=lzo1x_1": not supported)
                Arguments.of("lzo level 9, 1M blocks", 1 << 20, List.of("-c", "lzo", "-X", "level=9", "-b", "1M"), true),
                Arguments.of("zstd level 22, exportable", k128, List.of("-c", "zstd", "-X", "level=22", "--exportable"),
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void readsAsTheKernelAndRdsquashfsDo(String name, int blockSize, List<String> options, boolean rdsquashfsReadsIt)
            throws Exception {
        MksquashfsImages.assumeAvailable();
        TestEnvironment.assumeTools("gensquashfs", "rdsquashfs");
        Path image = temp.resolve("image.sqfs");
        List<String> cmd = new ArrayList<>(List.of("gensquashfs", "--quiet", "--force", "--keep-time", "--keep-xattr",
                "--num-jobs", "2", "--pack-dir", MksquashfsImages.everyKind(blockSize).toString()));
        cmd.addAll(options);
        cmd.add(image.toString());
        ExternalCommand.runChecked(cmd);

        try (SquashfsImage read = SquashfsImage.open(image)) {
            FileTree tree = read.toTree();
            FsSnapshot reader = FsSnapshot.of(tree);
            if (rdsquashfsReadsIt) {
                Path unpacked = temp.resolve("unpacked");
                ExternalCommand.runChecked("rdsquashfs", "--quiet", "--unpack-path", "/", "--unpack-root",
                        unpacked.toString(), "--chmod", "--chown", "--set-times", "--set-xattr", image.toString());
                // rdsquashfs leaves the time of the directory it unpacks into as it is
                Files.setLastModifiedTime(unpacked, FileTime.from(tree.root().mtime(), TimeUnit.SECONDS));
                FsSnapshot.of(unpacked, true).assertMatches(reader, "reader vs rdsquashfs, " + name);
            }
            assertEquals(options.contains("--exportable"), read.hasExportTable(), "export table");
            Path extracted = temp.resolve("extracted");
            assertEquals(List.of(), new ImageExtractor(read, new ImageExtractor.Options(true, 2)).extract(extracted)
                    .skipped());
            Files.setLastModifiedTime(extracted, FileTime.from(tree.root().mtime(), TimeUnit.SECONDS));
            FsSnapshot.of(extracted, true).assertMatches(reader, "extraction vs reader, " + name);
            try (FileSystem fs = FileSystems.newFileSystem(image)) {
                FsSnapshot.of(new DirectoryTreeLoader().load(fs.getPath("/"))).map(WrittenTreesReadBackTest::userXattrsOnly)
                        .assertMatches(reader.map(WrittenTreesReadBackTest::userXattrsOnly), "NIO vs reader, " + name);
            }
            if (options.contains("lzma")) {
                return; // Linux has no squashfs LZMA (OpenWrt patched it in); rdsquashfs is the judge
            }
            if (TestEnvironment.kernelMountMissing().isEmpty()) {
                try (KernelMount mount = KernelMount.mount(image, temp);
                     FileSystem fs = FileSystems.newFileSystem(image)) {
                    // A directory's link count is the one its inode stores, which gensquashfs sets to 2 plus
                    // all its entries. The tree model derives it from the subdirectories, as a disk does; the
                    // NIO file system reports the stored one, as the kernel does.
                    FsSnapshot.of(mount.root(), true).map(ReaderMatchesSquashfsToolsNgTest::directoryLinksUncounted)
                            .assertMatches(reader.map(ReaderMatchesSquashfsToolsNgTest::directoryLinksUncounted),
                                    "reader vs the kernel, " + name);
                    FsSnapshot.of(mount.root(), false).assertMatches(FsSnapshot.of(fs.getPath("/"), false),
                            "NIO vs the kernel, " + name);
                }
            } else {
                System.out.println("ReaderMatchesSquashfsToolsNgTest: no kernel comparison: "
                        + TestEnvironment.kernelMountMissing().get());
            }
        }
    }

    private static FsSnapshot.Entry directoryLinksUncounted(FsSnapshot.Entry e) {
        return e.type() != NodeType.DIRECTORY ? e : new FsSnapshot.Entry(e.type(), e.permissions(), e.uid(), e.gid(),
                e.mtime(), e.size(), e.major(), e.minor(), e.target(), e.digest(), e.xattrs(), 0, e.linkGroup());
    }
}
