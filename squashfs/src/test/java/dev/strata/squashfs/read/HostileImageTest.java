package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriterOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made damage, one kind per test, each ending in one CorruptImageException that names the byte
 * offset and the structure. The images are written with every block stored uncompressed, so each
 * structure can be found and patched where it lies.
 */
class HostileImageTest {
    private static final int BLOCK = 4096;

    @TempDir
    Path temp;

    private byte[] original;
    private ImageLayout layout;
    private long rootRef;
    private long inodeCount;

    @BeforeEach
    void writeImage() throws IOException {
        original = write(tree(false));
        try (SquashfsImage image = open(original)) {
            layout = image.layout();
            rootRef = image.superblock().rootInodeRef();
            inodeCount = image.inodeCount();
            CorruptImageFuzzTest.readEverything(new MemoryFileChannel(original)); // reads cleanly as written
        }
    }

    private static FileTree tree(boolean withBomb) {
        FileTree tree = new FileTree();
        tree.root().setMtime(1_700_000_000L);
        DirectoryNode a = tree.mkdirs("aaaa-dir/bbbb-sub");
        a.put("cccc-file", new FileNode(FileContent.of("hello".getBytes(StandardCharsets.US_ASCII))));
        tree.root().put("dddd-link", new SymlinkNode("aaaa-dir/bbbb-sub/cccc-file"));
        byte[] big = new byte[3 * BLOCK + 100];
        Arrays.fill(big, (byte) 'e');
        tree.root().put("eeee-file", new FileNode(FileContent.of(big)));
        tree.root().put("ffff-small", new FileNode(FileContent.of("tiny".getBytes(StandardCharsets.US_ASCII))));
        tree.root().put("hhhh-xattr", new FileNode(FileContent.of(new byte[1])).setXattr("user.k", new byte[] {1}));
        if (withBomb) {
            byte[] bomb = new byte[BLOCK];
            System.arraycopy("BOMB".getBytes(StandardCharsets.US_ASCII), 0, bomb, 0, 4);
            tree.root().put("gggg-bomb", new FileNode(FileContent.of(bomb)));
        }
        return tree;
    }

    private byte[] write(FileTree tree) throws IOException {
        Path file = temp.resolve("stored.sqfs");
        new SquashfsWriter(WriterOptions.builder(new BombingCompressor()).blockSize(BLOCK).mkfsTime(1)
                .processors(1).build()).write(tree, file);
        return Files.readAllBytes(file);
    }

    @Test
    void wrongMagic() {
        byte[] b = original.clone();
        b[0] = 'x';
        assertCorrupt(b, 0, "not a SquashFS image");
    }

    @Test
    void fileShorterThanASuperblock() {
        assertCorrupt(Arrays.copyOf(original, 50), 0, "truncated");
    }

    @Test
    void truncatedImage() {
        assertCorrupt(Arrays.copyOf(original, original.length / 2), 40, "truncated");
    }

    @Test
    void blockSizeNotAPowerOfTwo() {
        byte[] b = original.clone();
        putU32(b, 12, 5000);
        assertCorrupt(b, 12, "block size");
    }

    @Test
    void bytesUsedPastTheEndOfTheFile() {
        byte[] b = original.clone();
        putU64(b, 40, original.length + 1L);
        assertCorrupt(b, 40, "truncated");
    }

    @Test
    void inodeTableAfterTheDirectoryTable() {
        byte[] b = original.clone();
        putU64(b, 64, layout.directoryTableStart() + 10);
        assertCorrupt(b, 72, "directory table start");
    }

    @Test
    void idTableClaimingMoreIdsThanFit() {
        byte[] b = original.clone();
        putU16(b, 26, 0xFFFF);
        assertCorrupt(b, -2, "id table of 65535 entries");
    }

    @Test
    void lookupTableIndexPointingBackwards() {
        byte[] b = original.clone();
        long idIndex = u64(b, 48);
        putU64(b, (int) idIndex, 5);
        assertCorrupt(b, idIndex, "id table index entry 0");
    }

    @Test
    void directoryListingItself() throws IOException {
        byte[] b = original.clone();
        long dir;
        try (SquashfsImage image = open(original)) {
            ImageInode a = image.lookup("/aaaa-dir");
            dir = a.number();
            retarget(b, "bbbb-sub", a.reference(), a.number(), 1);
        }
        CorruptImageException e = assertCorrupt(b, -2, "directory loop");
        assertTrue(e.getMessage().contains("directory inode " + dir), e.getMessage());
        assertThrows(CorruptImageException.class, () -> {
            try (SquashfsImage image = open(b)) {
                image.lookup("/aaaa-dir/bbbb-sub/cccc-file");
            }
        });
    }

    @Test
    void directoryListingAnAncestor() throws IOException {
        byte[] b = original.clone();
        retarget(b, "cccc-file", rootRef, inodeCount, 1);
        assertCorrupt(b, -2, "directory loop");
    }

    @Test
    void inodeNumberOutOfRange() throws IOException {
        byte[] b = original.clone();
        try (SquashfsImage image = open(original)) {
            long at = inodeBytes(image.lookup("/eeee-file").reference());
            putU32(b, (int) at + 12, inodeCount + 1);
        }
        assertCorrupt(b, layout.inodeTableStart(), "outside 1.." + inodeCount);
    }

    @Test
    void directoryEntryNamingAnInodeOutOfRange() {
        byte[] b = original.clone();
        int name = find(b, "ffff-small");
        putU16(b, name - 6, 0x7FFF);
        assertCorrupt(b, -2, "outside 1.." + inodeCount);
    }

    @Test
    void nameContainingASlash() {
        byte[] b = original.clone();
        b[find(b, "ffff-small") + 2] = '/';
        assertCorrupt(b, -2, "contains '/'");
    }

    @Test
    void nameContainingNul() {
        byte[] b = original.clone();
        b[find(b, "ffff-small") + 2] = 0;
        assertCorrupt(b, -2, "NUL");
    }

    @Test
    void nameDotDot() {
        byte[] b = original.clone();
        int name = find(b, "ffff-small");
        putU16(b, name - 2, 1);
        b[name] = '.';
        b[name + 1] = '.';
        assertCorrupt(b, -2, "'..'");
    }

    @Test
    void compressedBlockInflatingPastTheBlockSize() throws IOException {
        assertCorrupt(write(tree(true)), -2, "does not decompress to at most " + BLOCK);
    }

    @Test
    void metadataBlockClaimingMoreThan8KiB() {
        byte[] b = original.clone();
        putU16(b, (int) layout.inodeTableStart(), FormatLimits.METADATA_UNCOMPRESSED | 9000);
        assertCorrupt(b, layout.inodeTableStart(), "claims 9000 stored bytes");
    }

    @Test
    void fileClaimingATerabyte() throws IOException {
        byte[] b = original.clone();
        try (SquashfsImage image = open(original)) {
            long at = inodeBytes(image.lookup("/eeee-file").reference());
            putU32(b, (int) at + 28, 0xFFFF_FFF0L); // a basic file's size: 4 GiB, a million 4K blocks
        }
        assertCorrupt(b, layout.inodeTableStart(), "inode table ends inside");
    }

    @Test
    void fragmentIndexOutOfRange() throws IOException {
        byte[] b = original.clone();
        try (SquashfsImage image = open(original)) {
            long at = inodeBytes(image.lookup("/ffff-small").reference());
            putU32(b, (int) at + 20, 1000);
        }
        assertCorrupt(b, layout.inodeTableStart(), "names fragment 1000");
    }

    @Test
    void symlinkTargetContainingNul() {
        byte[] b = original.clone();
        b[find(b, "aaaa-dir/bbbb-sub/cccc-file", layout.inodeTableStart(), layout.directoryTableStart()) + 4] = 0;
        assertCorrupt(b, layout.inodeTableStart(), "target containing NUL");
    }

    // ---------------------------------------------------------------------------------------------

    /** Opens, walks and reads everything; returns the one CorruptImageException, checking offset and text. */
    private CorruptImageException assertCorrupt(byte[] image, long offset, String text) {
        Executable read = () -> CorruptImageFuzzTest.readEverything(new MemoryFileChannel(image));
        CorruptImageException e = assertThrows(CorruptImageException.class, read);
        assertTrue(e.getMessage().contains(text), () -> "expected '" + text + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("(byte offset " + e.offset() + ")"), e.getMessage());
        if (offset >= 0) {
            assertEquals(offset, e.offset(), e.getMessage());
        } else {
            assertTrue(e.offset() >= 0, e.getMessage());
        }
        return e;
    }

    private static SquashfsImage open(byte[] image) throws IOException {
        return SquashfsImage.open(new MemoryFileChannel(image), 0);
    }

    /** Image position of an inode in a table of stored (uncompressed) metadata blocks. */
    private long inodeBytes(long reference) {
        return layout.inodeTableStart() + FormatLimits.referenceBlock(reference) + 2
                + FormatLimits.referenceOffset(reference);
    }

    /** Points the directory entry called name at another inode (the entry starts its header's run). */
    private void retarget(byte[] b, String name, long reference, long number, int type) {
        int at = find(b, name);
        int entry = at - 8;
        int header = entry - 12;
        putU32(b, header + 4, FormatLimits.referenceBlock(reference));
        putU32(b, header + 8, number);
        putU16(b, entry, FormatLimits.referenceOffset(reference));
        putU16(b, entry + 2, 0);
        putU16(b, entry + 4, type);
    }

    /** Where a name's bytes are in the directory table. */
    private int find(byte[] b, String name) {
        return find(b, name, layout.directoryTableStart(), layout.directoryTableEnd());
    }

    private static int find(byte[] b, String name, long from, long to) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = (int) from; i + n.length <= to; i++) {
            if (Arrays.equals(b, i, i + n.length, n, 0, n.length)) {
                return i;
            }
        }
        throw new AssertionError(name + " not found between bytes " + from + " and " + to);
    }

    private static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    private static void putU16(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
    }

    private static void putU32(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) v);
    }

    private static void putU64(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    /**
     * Stores every block, except a data block starting "BOMB", which it replaces by a zlib stream of
     * twice the block's length: a block that inflates past the block size.
     */
    private static final class BombingCompressor implements Compressor {
        private final StoredCompressor stored = new StoredCompressor();

        @Override
        public CompressorId id() {
            return CompressorId.GZIP;
        }

        @Override
        public Optional<byte[]> optionsBlock() {
            return Optional.empty();
        }

        @Override
        public byte[] compress(byte[] src, int off, int len) {
            if (len >= 4 && src[off] == 'B' && src[off + 1] == 'O' && src[off + 2] == 'M' && src[off + 3] == 'B') {
                Deflater d = new Deflater();
                d.setInput(new byte[2 * len]);
                d.finish();
                byte[] out = new byte[len];
                int n = d.deflate(out);
                d.end();
                return Arrays.copyOf(out, n);
            }
            return null;
        }

        @Override
        public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws IOException {
            return stored.decompress(src, off, len, dst, dstOff, maxLen);
        }

        @Override
        public String describe() {
            return "gzip (stored, with a bomb)";
        }
    }
}
