package dev.strata.squashfs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle checked against itself: a tree made on disk with {@link TreeMaterializer} has exactly
 * the tree's snapshot, and each kind of change a buggy writer could cause (mode, owner, time,
 * content, xattr, device number, symlink target, a broken hard link, a missing or an extra file) is
 * reported at the path where it happened, and nowhere else.
 */
class FsSnapshotTest {
    @TempDir
    Path temp;

    @BeforeEach
    void needsRoot() {
        TreeMaterializer.assumeCanMaterialize();
    }

    static FileTree smallTree() {
        FileTree tree = new FileTree();
        FileNode file = new FileNode(GeneratedContent.of(GeneratedContent.Style.TEXT, 1, 5000), 0644);
        file.setUid(1000).setGid(100).setMtime(1_600_000_000L).setXattr("user.u", new byte[] {1})
                .setXattr("trusted.t", new byte[] {1});
        tree.put("file", file);
        tree.put("dir/hardlink", file);
        tree.put("symlink", new SymlinkNode("file").setMtime(1_600_000_001L));
        tree.put("device", new DeviceNode(NodeType.CHAR_DEVICE, 1, 3, 0666).setMtime(1_600_000_002L));
        tree.put("fifo", new IpcNode(NodeType.FIFO, 0600).setMtime(1_600_000_003L));
        tree.mkdirs("dir").setMtime(1_600_000_004L);
        tree.root().put(Name.of(new byte[] {'n', (byte) 0xFF}), new FileNode(GeneratedContent.of(
                GeneratedContent.Style.ZEROS, 0, 0)).setMtime(1_600_000_005L));
        tree.root().setMtime(1_600_000_006L);
        return tree;
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("nothing", ":", Set.of()),
                Arguments.of("mode", "chmod 0600 file", Set.of("/file", "/dir/hardlink")),
                Arguments.of("owner", "chown -h 7:7 symlink", Set.of("/symlink")),
                Arguments.of("time", "touch -h -d @5 symlink", Set.of("/symlink")),
                Arguments.of("content", "printf x | dd of=file bs=1 seek=10 conv=notrunc 2>/dev/null; touch -d @1600000000 file",
                        Set.of("/file", "/dir/hardlink")),
                Arguments.of("xattr", "setfattr -n trusted.t -v 0x02 file", Set.of("/file", "/dir/hardlink")),
                Arguments.of("device number", "rm device; mknod device c 1 5; chmod 0666 device; touch -h -d @1600000002 device; touch -d @1600000006 .",
                        Set.of("/device")),
                Arguments.of("symlink target", "rm symlink; ln -s filf symlink; touch -h -d @1600000001 symlink; touch -d @1600000006 .",
                        Set.of("/symlink")),
                Arguments.of("broken hard link", "cp -p dir/hardlink dir/copy; mv dir/copy dir/hardlink; touch -d @1600000004 dir",
                        Set.of("/file", "/dir/hardlink")),
                Arguments.of("missing", "rm fifo; touch -d @1600000006 .", Set.of("/fifo")),
                Arguments.of("extra", "touch -d @1 extra; touch -d @1600000006 .", Set.of("/extra")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void reportsTheChangeAtItsPath(String what, String change, Set<String> changedPaths) throws Exception {
        FileTree tree = smallTree();
        Path dir = Files.createDirectory(temp.resolve("tree"));
        TreeMaterializer.materialize(tree, dir, temp);
        Path script = temp.resolve("change.sh");
        Files.writeString(script, "set -e\ncd \"$1\"\n" + change + "\n", StandardCharsets.US_ASCII);
        ExternalCommand.runChecked("sh", script.toString(), dir.toString());

        List<String> differences = FsSnapshot.of(tree).differencesFrom(FsSnapshot.of(dir, true));
        Set<String> reported = new TreeSet<>();
        for (String d : differences) {
            // "differs: /path\n...", "missing: /path  ...", "unexpected: /path  ..."
            reported.add(d.substring(d.indexOf(": ") + 2).split("[ \n]", 2)[0]);
        }
        assertEquals(new TreeSet<>(changedPaths), reported, () -> what + ": " + String.join("\n", differences));
    }
}
