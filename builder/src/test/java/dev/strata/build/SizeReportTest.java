package dev.strata.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.format.Superblock;
import dev.strata.squashfs.read.SquashfsImage;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size report shares out the image's data and fragment blocks among directories and packages, and
 * shows the rest (superblock, tables, padding) as metadata: in a small image that is most of it, and a
 * directory was once shown 3.9 KiB for a 186-byte file.
 */
class SizeReportTest {
    @TempDir
    Path dir;

    @Test
    void directoriesShareTheDataBlocksAndTheRestIsMetadata() throws Exception {
        BuildFixture f = new BuildFixture(dir);
        byte[] noise = new byte[200_000];
        new Random(5).nextBytes(noise);
        f.write("files/usr/lib/blob", noise);
        f.write("files/etc/motd", "hello\n".repeat(50));
        BuildResult r = f.build("sources:\n  - dir: files\nsquashfs:\n  compression: gzip\n");

        try (SquashfsImage image = SquashfsImage.open(r.image())) {
            Superblock sb = image.superblock();
            long dataStart = Superblock.SIZE + image.compressorOptions().map(o -> o.length + 2).orElse(0);
            assertEquals(sb.inodeTableStart() - dataStart, r.write().dataBytes(), "data and fragment blocks");
        }
        SizeReport report = r.report();
        assertEquals(r.write().imageSize() - r.write().dataBytes(), report.metadataBytes());
        long shared = report.directories().values().stream().mapToLong(Long::longValue).sum();
        assertTrue(Math.abs(shared - r.write().dataBytes()) <= report.directories().size(),
                shared + " bytes shared out, " + r.write().dataBytes() + " data bytes");
        // random bytes do not compress: the blob's directory gets about its size, not a share of the tables
        long blob = report.directories().get("/usr/lib");
        assertTrue(blob >= noise.length && blob < noise.length + 1024, "/usr/lib " + blob);
        assertTrue(report.lines().get(0).endsWith("; metadata and padding " + dev.strata.spec.ByteSize.human(
                report.metadataBytes())), report.lines().get(0));
        assertTrue(f.manifest().contains("\"data-bytes\": " + r.write().dataBytes()), f.manifest());
    }
}
