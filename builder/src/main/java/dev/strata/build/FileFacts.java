package dev.strata.build;

import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * What the manifest and the size report need to know about each file's content: its SHA-256 and
 * how well it compresses (deflate level 1, a cheap stand-in used to share the image's real size
 * out among files). Each distinct file node is read once.
 */
final class FileFacts {
    record Facts(String sha256, long size, long deflated) {
    }

    private final Map<Node, Facts> facts = new IdentityHashMap<>();

    Facts of(FileNode node) throws IOException {
        Facts f = facts.get(node);
        if (f == null) {
            f = read(node);
            facts.put(node, f);
        }
        return f;
    }

    private static Facts read(FileNode node) throws IOException {
        MessageDigest md = Digests.sha256();
        Deflater deflater = new Deflater(1, true);
        byte[] buffer = new byte[64 * 1024];
        byte[] sink = new byte[64 * 1024];
        long size = 0;
        long deflated = 0;
        try (InputStream in = node.content().open()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
                size += n;
                deflater.setInput(buffer, 0, n);
                while (!deflater.needsInput()) {
                    deflated += deflater.deflate(sink);
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                deflated += deflater.deflate(sink);
            }
        } finally {
            deflater.end();
        }
        return new Facts(HexFormat.of().formatHex(md.digest()), size, deflated);
    }
}
