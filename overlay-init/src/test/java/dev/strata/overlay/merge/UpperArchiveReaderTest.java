package dev.strata.overlay.merge;

import static dev.strata.overlay.merge.TreeBuilder.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.tree.NodeType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class UpperArchiveReaderTest {
    private final UpperArchiveReader reader = new UpperArchiveReader(MergeOptions.defaults());

    /** A tiny tar writer for hand-made archives. */
    private static final class Tar {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

        Tar() {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar dir(String name, String... xattr) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name + "/");
            for (int i = 0; i < xattr.length; i += 2) {
                e.addPaxHeader("SCHILY.xattr." + xattr[i], xattr[i + 1]);
            }
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        Tar file(String name, String content) throws IOException {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(b.length);
            out.putArchiveEntry(e);
            out.write(b);
            out.closeArchiveEntry();
            return this;
        }

        Tar whiteout(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        Tar link(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        byte[] bytes() throws IOException {
            out.close();
            return bytes.toByteArray();
        }
    }

    private Layer read(byte[] tar, UpperArchiveReader.Format format) throws IOException {
        return reader.read(new ByteArrayInputStream(tar), "test.tar", format);
    }

    @Test
    void overlayTarWithXattrsAndHardLinksToTheSharedWhiteout() throws IOException {
        byte[] tar = new Tar().dir(".", "trusted.overlay.uuid", "u").dir("etc", "trusted.overlay.opaque", "y")
                .file("etc/new", "n").whiteout("gone").link("also-gone", "gone").link("./etc/again", "./gone").bytes();
        Layer up = read(tar, UpperArchiveReader.Format.AUTO);
        assertTrue(up.opaqueUnknownReason().isEmpty());
        MergedTree t = new OverlayMerge().merge(up,
                layer().file("etc/old", "o").file("gone", "g").file("also-gone", "g").file("etc/again", "a").asLower("rom"));
        assertNull(t.find("gone"));
        assertNull(t.find("also-gone"));
        assertNull(t.find("etc/again"));
        assertNull(t.find("etc/old"), "etc is opaque");
        assertEquals(NodeType.FILE, t.find("etc/new").type());
    }

    @Test
    void gnuTarKeepsBinaryXattrValuesAndNamesThatAreNotUtf8(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/setfattr")),
                "setfattr is not installed (apt-get install attr)");
        // the redirect xattr of a renamed directory and a binary value; a file name that is not UTF-8
        Process p = new ProcessBuilder("bash", "-c", "mkdir u && cd u && mkdir d && printf x > $'n\\xff'"
                + " && setfattr -n user.overlay.redirect -v /old d && setfattr -n user.bin -v 0x80ff00c328 $'n\\xff'"
                + " && tar --xattrs --xattrs-include='*' --format=pax -cf ../u.tar .")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Layer up = reader.read(dir.resolve("u.tar"), UpperArchiveReader.Format.AUTO);
        var file = up.tree().root().get(dev.strata.squashfs.tree.Name.of(new byte[] {'n', (byte) 0xff}));
        assertTrue(file != null, "the name that is not UTF-8 is kept as its bytes");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {(byte) 0x80, (byte) 0xff, 0, (byte) 0xc3, 0x28},
                file.xattrs().get("user.bin"));
    }

    @Test
    void strataExportArchiveIsGzipWithoutXattrsSoOpaqueIsUnknown() throws IOException {
        byte[] tar = new Tar().dir(".").dir("etc").file("etc/new", "n").whiteout("gone").bytes();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(tar);
        }
        Layer up = read(gz.toByteArray(), UpperArchiveReader.Format.AUTO);
        assertTrue(up.opaqueUnknownReason().isPresent());
        MergedTree t = new OverlayMerge().merge(up, layer().file("etc/old", "o").asLower("rom"));
        assertEquals(MergeFinding.Kind.OPAQUE_UNKNOWN, t.findings().get(0).kind());
        assertEquals("/etc", t.findings().get(0).path());
    }

    @Test
    void ociLayerMarkersBecomeWhiteoutsAndOpaqueDirectories() throws IOException {
        byte[] tar = new Tar().dir("etc").file("etc/.wh..wh..opq", "").file("etc/new", "n").file(".wh.gone", "")
                .file(".wh.kept", "").file("kept", "same layer wins").bytes();
        Layer up = read(tar, UpperArchiveReader.Format.AUTO);
        MergedTree t = new OverlayMerge().merge(up,
                layer().file("etc/old", "o").file("gone", "g").file("kept", "old").asLower("rom"));
        assertNull(t.find("gone"));
        assertNull(t.find("etc/old"));
        assertEquals(0, t.find("kept").layerIndex());
        assertNull(t.find(".wh.gone"));
    }

    @Test
    void whNamesInAnOverlayTarAreOrdinaryFiles() throws IOException {
        byte[] tar = new Tar().dir(".", "trusted.overlay.impure", "y").file(".wh.x", "ordinary").bytes();
        MergedTree t = new OverlayMerge().merge(read(tar, UpperArchiveReader.Format.AUTO),
                layer().file("x", "still here").asLower("rom"));
        assertEquals(NodeType.FILE, t.find(".wh.x").type());
        assertEquals(NodeType.FILE, t.find("x").type());
    }

    @Test
    void pathsClimbingOutAreRefused() throws IOException {
        byte[] tar = new Tar().file("../etc/passwd", "x").bytes();
        UpperLayerException e = assertThrows(UpperLayerException.class, () -> read(tar, UpperArchiveReader.Format.AUTO));
        assertTrue(e.getMessage().contains(".."), e.getMessage());
    }

    @Test
    void somethingThatIsNotATarIsRefused() {
        byte[] junk = "this is not a tar archive at all".repeat(40).getBytes(StandardCharsets.UTF_8);
        assertThrows(UpperLayerException.class, () -> read(junk, UpperArchiveReader.Format.AUTO));
    }

    @Test
    void hardLinkToAMissingTargetIsRefused() throws IOException {
        byte[] tar = new Tar().link("a", "nowhere").bytes();
        assertThrows(UpperLayerException.class, () -> read(tar, UpperArchiveReader.Format.AUTO));
    }

    /** Where a damaged header is reported: its own header, after PAX and data blocks before it. */
    @Test
    void aHeaderThatFailsItsChecksumIsRefusedWithItsOffset() throws IOException {
        byte[] tar = new Tar().dir("etc", "user.a", "1").file("etc/a", "x".repeat(700)).file("etc/b", "y").bytes();
        assertEquals(NodeType.FILE, read(tar, UpperArchiveReader.Format.AUTO).tree().find("etc/b").type(),
                "the undamaged archive reads");
        int header = new String(tar, StandardCharsets.ISO_8859_1).indexOf("etc/b\0");
        assertEquals(0, header % 512);
        tar[header + 100] ^= 1; // the mode field
        UpperLayerException e = assertThrows(UpperLayerException.class, () -> read(tar, UpperArchiveReader.Format.AUTO));
        assertEquals("test.tar: entry 'etc/b': its tar header at byte " + header + " does not match its checksum: the"
                + " archive is damaged (GNU tar refuses it too); make it again", e.getMessage());

        // the PAX header that carries etc's xattr comes first, at byte 0; commons-compress never shows it
        byte[] pax = new Tar().dir("etc", "user.a", "1").file("etc/a", "x").bytes();
        assertEquals('x', pax[156]);
        pax[100] ^= 1;
        UpperLayerException p = assertThrows(UpperLayerException.class, () -> read(pax, UpperArchiveReader.Format.AUTO));
        assertTrue(p.getMessage().startsWith("test.tar: entry 'etc/': its tar header at byte 0 does not match"),
                p.getMessage());
    }

    @Test
    void anArchiveCutShortIsRefused() throws IOException {
        byte[] tar = new Tar().dir("etc").file("etc/a", "x").file("etc/b", "y").bytes();
        int cut = new String(tar, StandardCharsets.ISO_8859_1).indexOf("etc/b\0"); // at etc/b's header
        UpperLayerException e = assertThrows(UpperLayerException.class,
                () -> read(java.util.Arrays.copyOf(tar, cut), UpperArchiveReader.Format.AUTO));
        assertEquals("test.tar: the archive ends after entry 'etc/a' without tar's end-of-archive blocks: it is"
                + " truncated; make or copy it again", e.getMessage());
    }
}
