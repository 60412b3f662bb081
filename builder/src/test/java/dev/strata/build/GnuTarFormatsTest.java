package dev.strata.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.squashfs.read.ImageEntry;
import dev.strata.squashfs.read.ImageInode;
import dev.strata.squashfs.read.SquashfsImage;
import dev.strata.squashfs.tree.Name;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Archives made by GNU tar in its pax, gnu and ustar formats reach the image byte for byte: names
 * that are not UTF-8, long names and link targets (PAX records, GNU 'L'/'K' headers, the ustar
 * prefix), hard links to such names, sparse files (GNU 'S' headers and PAX sparse records), and
 * binary xattr values, which commons-compress alone decodes as UTF-8 text.
 */
class GnuTarFormatsTest {
    private static final byte[] ODD_NAME = {'f', (byte) 0xff, (byte) 0xfe, '.', 'b', 'i', 'n'};
    private static final byte[] BINARY_VALUE = {(byte) 0x80, (byte) 0xff, 0, 1, (byte) 0xc3, 0x28, 'x'};
    private static final String LONG_DIR = "d".repeat(90) + "/" + "e".repeat(60);
    private static final String LONG_TARGET = "/" + "t".repeat(150);

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"pax", "gnu", "ustar"})
    void gnuTarArchivesArriveByteForByte(String format) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/tar")), "GNU tar is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setfattr")), "setfattr is not installed (apt-get install attr)");
        Path src = Files.createDirectories(dir.resolve("src"));
        // the JDK cannot name a file that is not UTF-8 here; the shell can
        run(src, "bash", "-c", "printf 'odd\\n' > $'f\\xff\\xfe.bin' && ln $'f\\xff\\xfe.bin' hard"
                + " && setfattr -n user.bin -v 0x80ff0001c32878 $'f\\xff\\xfe.bin'"
                + " && ln -s " + LONG_TARGET + " long-link");
        Files.createDirectories(src.resolve(LONG_DIR));
        Files.writeString(src.resolve(LONG_DIR).resolve("file"), "deep\n");
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
            f.seek(3 << 20);
            f.write("after the hole".getBytes(StandardCharsets.US_ASCII));
        }
        boolean xattrs = format.equals("pax");

        Path tar = dir.resolve("root.tar");
        boolean ustar = format.equals("ustar"); // no sparse files, no names or targets past its fields
        if (ustar) {
            Files.delete(src.resolve("long-link"));
        }
        List<String> command = new java.util.ArrayList<>(List.of("tar", "--format=" + format, "--numeric-owner",
                "-cf", tar.toString(), "-C", src.toString()));
        if (!ustar) {
            command.add("--sparse");
        }
        if (xattrs) {
            command.addAll(List.of("--xattrs", "--xattrs-include=user.*"));
        }
        command.add(".");
        run(dir, command.toArray(new String[0]));

        BuildFixture f = new BuildFixture(dir);
        BuildResult r = f.build("sources:\n  - tar: root.tar\n    keep-owners: false\n");
        try (SquashfsImage image = SquashfsImage.open(r.image())) {
            assertEquals("deep\n", read(image, image.lookup(LONG_DIR + "/file")));
            if (!ustar) {
                assertArrayEquals(LONG_TARGET.getBytes(StandardCharsets.US_ASCII), image.readlink(image.lookup("long-link")));
            }
            ImageInode sparse = image.lookup("sparse");
            assertEquals((3 << 20) + 14, sparse.size());
            byte[] sparseBytes = image.openFile(sparse).readAllBytes();
            assertEquals("after the hole", new String(sparseBytes, 3 << 20, 14, StandardCharsets.US_ASCII));
            assertEquals(-1, Arrays.mismatch(new byte[3 << 20], Arrays.copyOf(sparseBytes, 3 << 20)));

            ImageEntry entry = image.entry(image.root(), Name.of(ODD_NAME))
                    .orElseThrow(() -> new AssertionError("no entry named f\\xff\\xfe.bin"));
            ImageInode file = image.inode(image.root(), entry);
            assertEquals("odd\n", read(image, file));
            assertEquals(file.number(), image.lookup("hard").number(), "hard link to a name that is not UTF-8");
            if (xattrs) {
                assertArrayEquals(BINARY_VALUE, image.xattrs(file).get("user.bin"));
            }
        }
    }

    private static String read(SquashfsImage image, ImageInode inode) throws IOException {
        try (InputStream in = image.openFile(inode)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void run(Path in, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}
