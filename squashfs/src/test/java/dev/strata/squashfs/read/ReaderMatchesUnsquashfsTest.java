package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images made by mksquashfs 4.5 with every compressor and a matrix of options read back exactly as
 * unsquashfs sees them: the reader's tree equals {@code unsquashfs -d} extraction (contents, modes,
 * owners, times, device numbers, symlinks, hard links, sparse files, xattrs of all namespaces), and its
 * long listing is byte for byte {@code unsquashfs -lln -UTC}.
 */
class ReaderMatchesUnsquashfsTest {
    @TempDir
    Path temp;

    static Stream<Arguments> matrix() {
        int k128 = 128 * 1024;
        return Stream.of(
                Arguments.of("gzip defaults", k128, List.of("-comp", "gzip")),
                Arguments.of("gzip all uncompressed", k128, List.of("-noI", "-noD", "-noF", "-noX", "-noId")),
                Arguments.of("gzip 4K no fragments", 4096, List.of("-b", "4K", "-no-fragments")),
                Arguments.of("gzip options block", k128,
                        List.of("-Xcompression-level", "1", "-Xwindow-size", "10", "-Xstrategy", "default,filtered")),
                Arguments.of("gzip no sparse, tail ends, no hard links", k128,
                        List.of("-no-sparse", "-tailends", "-no-hardlinks")),
                Arguments.of("xz bcj and dictionary", k128, List.of("-comp", "xz", "-Xbcj", "x86,arm", "-Xdict-size", "64K")),
                Arguments.of("xz always fragments, no duplicates", k128,
                        List.of("-comp", "xz", "-always-use-fragments", "-no-duplicates")),
                Arguments.of("lz4 hc", k128, List.of("-comp", "lz4", "-Xhc")),
                Arguments.of("lz4 4K always fragments, inodes uncompressed", 4096,
                        List.of("-comp", "lz4", "-b", "4K", "-always-use-fragments", "-noI")),
                Arguments.of("lzo 999 level 9", k128,
                        List.of("-comp", "lzo", "-Xalgorithm", "lzo1x_999", "-Xcompression-level", "9")),
                Arguments.of("lzo 1M lzo1x_1 no fragments", 1 << 20,
                        List.of("-comp", "lzo", "-b", "1M", "-no-fragments", "-Xalgorithm", "lzo1x_1")),
                Arguments.of("zstd level 19 1M", 1 << 20, List.of("-comp", "zstd", "-Xcompression-level", "19", "-b", "1M")),
                Arguments.of("zstd no pad, no exports, no xattrs", k128,
                        List.of("-comp", "zstd", "-nopad", "-no-exports", "-no-xattrs")),
                Arguments.of("lzma", k128, List.of("-comp", "lzma")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void readsAsUnsquashfsExtracts(String name, int blockSize, List<String> options) throws Exception {
        MksquashfsImages.assumeAvailable();
        Path image = MksquashfsImages.build(MksquashfsImages.everyKind(blockSize), temp.resolve("image.sqfs"), options);
        Path extracted = temp.resolve("extracted");
        ExternalCommand.runChecked("unsquashfs", "-n", "-d", extracted.toString(), image.toString());
        FsSnapshot unsquashfs = FsSnapshot.of(extracted, !options.contains("-no-xattrs"));
        try (SquashfsImage read = SquashfsImage.open(image)) {
            unsquashfs.assertMatches(FsSnapshot.of(read.toTree()), "reader vs unsquashfs -d, mksquashfs " + name);
            assertEquals(unsquashfsListing(image, List.of()), listing(read), "reader vs unsquashfs -lln, " + name);
            assertEquals(!options.contains("-no-exports"), read.hasExportTable());
            if (read.hasExportTable()) {
                read.walk((path, inode) -> assertEquals(inode.reference(),
                        read.inodeByNumber(inode.number()).reference(), "export table entry of " + path));
            }
            boolean optionsBlock = options.stream().anyMatch(o -> o.startsWith("-X")) || options.contains("lz4");
            assertEquals(optionsBlock, read.compressorOptions().isPresent(), "compressor options block");
        }
        try (FileSystem fs = FileSystems.newFileSystem(image)) {
            FsSnapshot viaNio = FsSnapshot.of(new DirectoryTreeLoader().load(fs.getPath("/")));
            unsquashfs.map(WrittenTreesReadBackTest::userXattrsOnly).assertMatches(
                    viaNio.map(WrittenTreesReadBackTest::userXattrsOnly), "NIO file system vs unsquashfs -d, " + name);
        }
    }

    @Test
    void readsAnImageAtAnOffsetInsideALargerFile() throws Exception {
        MksquashfsImages.assumeAvailable();
        long offset = 1 << 20;
        Path image = MksquashfsImages.build(MksquashfsImages.everyKind(128 * 1024), temp.resolve("disk.img"),
                List.of("-offset", Long.toString(offset), "-comp", "xz"));
        Path extracted = temp.resolve("extracted");
        ExternalCommand.runChecked("unsquashfs", "-n", "-o", Long.toString(offset), "-d", extracted.toString(),
                image.toString());
        try (SquashfsImage read = SquashfsImage.open(image, offset)) {
            FsSnapshot.of(extracted, true).assertMatches(FsSnapshot.of(read.toTree()), "reader at offset " + offset);
            assertEquals(unsquashfsListing(image, List.of("-o", Long.toString(offset))), listing(read));
        }
    }

    /** unsquashfs -lln -UTC, as text with bytes kept (ISO-8859-1 maps each byte to one char). */
    static String unsquashfsListing(Path image, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of("unsquashfs", "-lln", "-UTC", "-n"));
        cmd.addAll(extra);
        cmd.add(image.toString());
        return new String(ExternalCommand.runChecked(cmd).stdout(), StandardCharsets.ISO_8859_1);
    }

    /** The reader's listing in unsquashfs's format, rooted at "squashfs-root". */
    static String listing(SquashfsImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        image.walk((path, inode) -> {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.writeBytes("squashfs-root".getBytes(StandardCharsets.US_ASCII));
            path.forEach(n -> {
                p.write('/');
                p.writeBytes(n.bytes());
            });
            out.writeBytes(LongListing.line(inode, p.toByteArray(), LongListing.number(inode.uid()),
                    LongListing.number(inode.gid()), ZoneOffset.UTC));
        });
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
