package dev.strata.squashfs.testing;

import java.util.ArrayList;
import java.util.List;

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
 * output is judged line by line rather than by exit status, also because sqfsdiff 1.2 prints a
 * symlink target difference without setting the status.
 */
public final class Sqfsdiff {
    private Sqfsdiff() {
    }

    public static void assertSameContents(java.nio.file.Path ours, java.nio.file.Path theirs, String context) {
        ExternalCommand.Result r = ExternalCommand.run(List.of("sqfsdiff", "-T", "-a", ours.toString(), "-b",
                theirs.toString()));
        List<String> differences = new ArrayList<>();
        for (String line : r.stdoutText().split("\n")) {
            if (!line.isEmpty() && !line.endsWith(" has a basic type") && !line.endsWith(" has an extended type")) {
                differences.add(line);
            }
        }
        if (r.exitCode() > 1 || !differences.isEmpty()) {
            throw new AssertionError(context + ": sqfsdiff found differences between our image and mksquashfs's:\n"
                    + String.join("\n", differences) + "\n" + r.describe());
        }
    }
}
