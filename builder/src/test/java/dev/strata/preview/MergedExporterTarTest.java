package dev.strata.preview;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.overlay.merge.Layer;
import dev.strata.overlay.merge.MergeOptions;
import dev.strata.overlay.merge.MergedTree;
import dev.strata.overlay.merge.OverlayMerge;
import dev.strata.overlay.merge.UpperArchiveReader;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The merged root exported as tar reads back with every xattr value exact, text or binary. */
class MergedExporterTarTest {
    @Test
    void binaryAndTextXattrsSurviveTheTar() throws Exception {
        byte[] capability = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        FileTree tree = new FileTree();
        FileNode ping = new FileNode(FileContent.of("elf".getBytes(StandardCharsets.US_ASCII)), 0755);
        ping.setXattr("security.capability", capability);
        ping.setXattr("user.note", "plain text ü".getBytes(StandardCharsets.UTF_8));
        tree.put("bin/ping", ping);
        MergedTree merged = new OverlayMerge().merge(Layer.lower("rom", tree));

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        new MergedExporter().toTar(merged.root(), tar);

        Layer back = new UpperArchiveReader(MergeOptions.defaults())
                .read(new ByteArrayInputStream(tar.toByteArray()), "export.tar", UpperArchiveReader.Format.OVERLAY);
        Node read = back.tree().find("bin/ping");
        assertArrayEquals(capability, read.xattrs().get("security.capability"));
        assertEquals("plain text ü", new String(read.xattrs().get("user.note"), StandardCharsets.UTF_8));
    }
}
