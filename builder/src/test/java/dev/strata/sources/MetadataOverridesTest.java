package dev.strata.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MetadataOverridesTest {
    private static FileTree tree() {
        FileTree tree = new FileTree();
        tree.root().setMtime(500).setUid(1000).setGid(1000);
        Node old = new FileNode(FileContent.of(new byte[0])).setMtime(100).setUid(1000).setGid(100);
        tree.put("a/old", old);
        tree.put("a/old-link", old);
        tree.put("a/new", new FileNode(FileContent.of(new byte[0])).setMtime(900));
        tree.find("a").setMtime(700);
        return tree;
    }

    @Test
    void forcedOwnersApplyToEveryInodeIncludingTheRoot() {
        FileTree t = tree();
        new MetadataOverrides(OptionalInt.of(0), OptionalInt.of(5), OptionalLong.empty(), OptionalLong.empty()).applyTo(t);
        t.walk((path, node) -> {
            assertEquals(0, node.uid(), path);
            assertEquals(5, node.gid(), path);
        });
    }

    @Test
    void allTimeSetsEveryTime() {
        FileTree t = tree();
        new MetadataOverrides(OptionalInt.empty(), OptionalInt.empty(), OptionalLong.of(42), OptionalLong.empty()).applyTo(t);
        t.walk((path, node) -> assertEquals(42, node.mtime(), path));
        assertEquals(1000, t.root().uid());
    }

    @Test
    void sourceDateEpochClampsOnlyLaterTimes() {
        FileTree t = tree();
        new MetadataOverrides(OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty(), OptionalLong.of(600)).applyTo(t);
        assertEquals(500, t.root().mtime());
        assertEquals(600, t.find("a").mtime());
        assertEquals(100, t.find("a/old").mtime());
        assertEquals(600, t.find("a/new").mtime());
    }
}
