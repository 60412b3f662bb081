package dev.strata.squashfs.testing;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * squashfs-tools-ng's sqfsdiff: compares two images through libsquashfs, an implementation
 * independent of both squashfs-tools and ours.
 *
 * <p>Run with -T, it compares the directory structure, types, permission bits, owners, modification
 * times, device numbers, symlink targets and file contents. Left out deliberately: -I (inode numbers
 * are each writer's own numbering) and -S (bytes used, table positions and flags differ
 * legitimately). sqfsdiff 1.2 compares neither xattrs nor link counts; the kernel and unsquashfs tests
 * check those.
 *
 * <p>One difference it reports cannot be avoided and is accepted here: "has a basic type" / "has an
 * extended type". Which of the two inode forms a writer picks is its own choice as long as the form
 * can hold the data (we use the extended file inode for sparse files, where mksquashfs stores a basic
 * one; the tree loader reads no trusted.* xattrs, so mksquashfs's inode is extended where ours is
 * basic). sqfsdiff goes on comparing everything else about such a node, so nothing is hidden. Its
 * output is judged rather than its exit status, also because sqfsdiff 1.2 prints a symlink target
 * difference without setting the status.
 */
public final class Sqfsdiff {
    private Sqfsdiff() {
    }

    /**
     * Fails unless sqfsdiff finds no difference but inode forms. tree names the paths both images
     * hold: sqfsdiff prints raw names, which may contain newlines, so the accepted messages are
     * removed by their exact text rather than line by line.
     */
    public static void assertSameContents(Path ours, Path theirs, FileTree tree, String context) {
        ExternalCommand.Result r = ExternalCommand.run(List.of("sqfsdiff", "-T", "-a", ours.toString(), "-b",
                theirs.toString()));
        String rest = r.stdoutText();
        for (String path : paths(tree)) {
            rest = rest.replace(path + " has a basic type\n", "").replace(path + " has an extended type\n", "");
        }
        if (r.exitCode() > 1 || !rest.isEmpty()) {
            throw new AssertionError(context + ": sqfsdiff found differences between our image and mksquashfs's:\n"
                    + FsSnapshot.escape(rest.getBytes(StandardCharsets.ISO_8859_1)).replace("\\x0a", "\n")
                    + "\n" + r.describe());
        }
    }

    /** Every path as sqfsdiff prints it: "/" and "/a/b", raw bytes as ISO-8859-1 chars. */
    private static List<String> paths(FileTree tree) {
        List<String> out = new ArrayList<>(List.of("/"));
        collect(tree.root(), "", out);
        return out;
    }

    private static void collect(DirectoryNode dir, String prefix, List<String> out) {
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            String path = prefix + "/" + new String(e.getKey().bytes(), StandardCharsets.ISO_8859_1);
            out.add(path);
            if (e.getValue() instanceof DirectoryNode d) {
                collect(d, path, out);
            }
        }
    }
}
