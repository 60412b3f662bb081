package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.strata.squashfs.tree.FileContent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A checksum match alone never makes a duplicate: the bytes decide. */
class DuplicateIndexTest {
    @Test
    void sameChecksumDifferentBytesIsNoDuplicate() throws Exception {
        DuplicateIndex index = new DuplicateIndex();
        byte[] a = "first file".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "other file".getBytes(StandardCharsets.US_ASCII);
        FileLayout la = new FileLayout(a.length, 0);
        FileLayout lb = new FileLayout(b.length, 0);
        FileLayout lc = new FileLayout(a.length, 0);
        int crc = 42; // as if both had the same CRC32C
        assertNull(index.findOrAdd(a.length, crc, FileContent.of(a), la, () -> new ByteArrayInputStream(a)));
        assertNull(index.findOrAdd(b.length, crc, FileContent.of(b), lb, () -> new ByteArrayInputStream(b)),
                "a collision is not a duplicate");
        assertSame(la, index.findOrAdd(a.length, crc, FileContent.of(a.clone()), lc,
                () -> new ByteArrayInputStream(a.clone())));
        assertSame(lb, index.findOrAdd(b.length, crc, FileContent.of(b.clone()), lc,
                () -> new ByteArrayInputStream(b.clone())), "both files of the key are candidates");
    }
}
