package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.compress.Compressors;
import dev.strata.squashfs.read.SquashfsImage;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.KernelMount;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * -noI, -noId, -noD, -noF, -noX: each part left uncompressed is stored byte for byte in the image
 * (its text can be found in the raw image) while every other part is still compressed, the
 * superblock says so with mksquashfs's flags, and our reader and the kernel read the tree back.
 */
class UncompressedPartsTest {
    private static final String DIRECTORY_MARKER = "directory-name-that-only-an-uncompressed-table-shows";
    /** Long and repetitive, so that compressing the xattr table pays and the value disappears from the image. */
    private static final String XATTR_MARKER = "xattr-value-that-only-an-uncompressed-table-shows;".repeat(20);

    @TempDir
    static Path tmp;
    static Path source;
    static byte[] big;
    static byte[] small;
    static boolean xattrs;

    @BeforeAll
    static void makeSource() throws IOException {
        source = Files.createDirectories(tmp.resolve("src"));
        big = text("a file of three blocks and more", 3 * 131072 + 500);
        small = text("a small file that goes into a fragment", 3000);
        Files.write(source.resolve("big.txt"), big);
        Files.write(Files.createDirectories(source.resolve(DIRECTORY_MARKER)).resolve("small.txt"), small);
        UserDefinedFileAttributeView view = Files.getFileAttributeView(source.resolve("big.txt"),
                UserDefinedFileAttributeView.class);
        try {
            view.write("marker", ByteBuffer.wrap(XATTR_MARKER.getBytes(StandardCharsets.UTF_8)));
            xattrs = true;
        } catch (IOException | UnsupportedOperationException e) {
            System.out.println("user xattrs not supported under " + tmp + ": the -noX text check is skipped");
        }
    }

    static Stream<Arguments> partSets() {
        return Stream.of(
                Arguments.of(EnumSet.noneOf(UncompressedPart.class), 0),
                Arguments.of(EnumSet.of(UncompressedPart.INODES), 0x0001),
                Arguments.of(EnumSet.of(UncompressedPart.IDS), 0x0800),
                Arguments.of(EnumSet.of(UncompressedPart.INODES, UncompressedPart.IDS), 0x0001),
                Arguments.of(EnumSet.of(UncompressedPart.DATA), 0x0002),
                Arguments.of(EnumSet.of(UncompressedPart.FRAGMENTS), 0x0008),
                Arguments.of(EnumSet.of(UncompressedPart.XATTRS), 0x0100),
                Arguments.of(EnumSet.allOf(UncompressedPart.class), 0x010B));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partSets")
    void partsAreStoredAsTheyAre(Set<UncompressedPart> parts, int expectedFlags) throws Exception {
        FileTree tree = new DirectoryTreeLoader().load(source);
        Path image = tmp.resolve("image-" + System.nanoTime() + ".sqfs");
        WriterOptions options = WriterOptions.builder(Compressors.defaults(CompressorId.GZIP, 131072))
                .uncompressed(parts).processors(2).build();
        new SquashfsWriter(options).write(tree, image);

        byte[] raw = Files.readAllBytes(image);
        int flags = (raw[24] & 0xFF) | (raw[25] & 0xFF) << 8;
        int uncompressedFlags = 0x0001 | 0x0002 | 0x0008 | 0x0100 | 0x0800;
        assertEquals(expectedFlags, flags & uncompressedFlags, "superblock flags " + Integer.toHexString(flags));

        assertEquals(parts.contains(UncompressedPart.DATA), contains(raw, slice(big, 131072, 4096)), "data block");
        assertEquals(parts.contains(UncompressedPart.FRAGMENTS), contains(raw, small), "fragment");
        assertEquals(parts.contains(UncompressedPart.INODES),
                contains(raw, DIRECTORY_MARKER.getBytes(StandardCharsets.UTF_8)), "directory table");
        if (xattrs) {
            assertEquals(parts.contains(UncompressedPart.XATTRS),
                    contains(raw, XATTR_MARKER.getBytes(StandardCharsets.UTF_8)), "xattr table");
        }

        FsSnapshot expected = FsSnapshot.of(tree);
        try (SquashfsImage read = SquashfsImage.open(image)) {
            expected.assertMatches(FsSnapshot.of(read.toTree()),
                    "our reader, " + parts);
        }
        TestEnvironment.kernelMountMissing().ifPresentOrElse(
                why -> System.out.println("kernel read-back skipped: " + why), () -> {
                    try (KernelMount mount = KernelMount.mount(image, tmp)) {
                        expected.assertMatches(FsSnapshot.of(mount.root(), xattrs), "kernel, " + parts);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    private static byte[] text(String line, int size) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < size; i++) {
            sb.append(line).append(", line ").append(i).append('\n');
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] slice(byte[] b, int from, int len) {
        return java.util.Arrays.copyOfRange(b, from, from + len);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
