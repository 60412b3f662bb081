package dev.strata.overlay.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.tree.FileTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpperDirectoryReaderTest {
    @TempDir
    Path dir;

    @Test
    void withoutGetfattrOpaqueIsUnknownAndSaysWhy() throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        Layer up = new UpperDirectoryReader(MergeOptions.defaults(), "/nonexistent/getfattr").read(dir);
        assertTrue(up.opaqueUnknownReason().isPresent());
        String reason = up.opaqueUnknownReason().get();
        assertTrue(reason.contains("getfattr") || reason.contains("CAP_SYS_ADMIN"), reason);
    }

    @Test
    void aDataVolumeIsNotAnUpper() throws IOException {
        Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(dir.resolve("work"));
        UpperLayerException e = assertThrows(UpperLayerException.class,
                () -> new UpperDirectoryReader(MergeOptions.defaults()).read(dir));
        assertTrue(e.getMessage().contains("pass " + dir.resolve("upper")), e.getMessage());
    }

    @Test
    void getfattrOutputIsParsedWithEscapedNames() throws IOException {
        FileTree tree = new TreeBuilder().dir("we ird").dir("nl\nx").dir("back\\slash").tree;
        String out = "# file: /up/nl\\012x\ntrusted.overlay.opaque=0x79\n\n"
                + "# file: /up/we ird\nuser.k=0x6869\ntrusted.overlay.redirect=0x2f6f6c64\n\n"
                + "# file: /up/back\\\\slash\nsystem.posix_acl_access=0x0200\ntrusted.overlay.opaque=0x79\n\n";
        UpperDirectoryReader.applyGetfattrOutput(out.getBytes(StandardCharsets.ISO_8859_1),
                "/up".getBytes(StandardCharsets.UTF_8), tree);
        assertArrayEquals(new byte[] {'y'}, tree.find("nl\nx").xattrs().get("trusted.overlay.opaque"));
        assertEquals("hi", new String(tree.find("we ird").xattrs().get("user.k"), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {'y'}, tree.find("back\\slash").xattrs().get("trusted.overlay.opaque"));
        assertTrue(!tree.find("back\\slash").xattrs().containsKey("system.posix_acl_access"));
    }
}
