package dev.strata.overlay.merge;

import static dev.strata.overlay.merge.TreeBuilder.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.overlay.merge.UpperDiff.Change;
import dev.strata.squashfs.tree.NodeType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpperDiffAndResetTest {
    private final OverlayMerge merge = new OverlayMerge();

    private List<String> diff(TreeBuilder upper, TreeBuilder lower) throws IOException {
        Layer l = lower.asLower("rom");
        List<String> out = new ArrayList<>();
        for (UpperDiff.Entry e : UpperDiff.between(merge.merge(l), merge.merge(upper.asUpper(), l))) {
            out.add(e.path() + " " + new java.util.TreeSet<>(e.changes()));
        }
        return out;
    }

    @Test
    void reportsEachKindOfChange() throws IOException {
        TreeBuilder lower = layer().file("etc/same", "s").file("etc/content", "old").file("etc/meta", "m")
                .file("etc/gone", "g").file("etc/typed", "t").file("opq/old", "o").file("www/index", "i");
        TreeBuilder upper = layer().file("etc/content", "new").file("etc/meta", "m").whiteout("etc/gone")
                .dir("etc/typed").file("etc/added", "a").opaqueDir("opq").file("opq/fresh", "f");
        upper.tree.find("etc/meta").setPermissions(0600);
        upper.tree.find("etc").setMtime(lower.tree.find("etc").mtime());
        assertEquals(List.of(
                "/etc/added [ADDED]",
                "/etc/content [MODIFIED_CONTENT]",
                "/etc/gone [DELETED]",
                "/etc/meta [MODIFIED_METADATA]",
                "/etc/typed [REPLACED]",
                "/opq [OPAQUE]",
                "/opq/fresh [ADDED]",
                "/opq/old [DELETED]"), diff(upper, lower));
    }

    @Test
    void copiedUpButIdenticalFileIsNoChange() throws IOException {
        assertEquals(List.of(), diff(layer().file("a", "same"), layer().file("a", "same")));
    }

    @Test
    void resetWithoutKeepListIsTheFactoryState() throws IOException {
        Layer low = layer().file("etc/config/network", "factory").asLower("rom");
        MergedTree current = merge.merge(layer().file("etc/config/network", "mine").file("root/notes", "x").asUpper(), low);
        MergedTree reset = FactoryReset.apply(current, KeepList.none(), merge);
        assertEquals(TreeListing.of(merge.merge(low)), TreeListing.of(reset));
    }

    @Test
    void resetKeepsListedPathsAsTheDeviceShowedThem() throws IOException {
        Layer low = layer().file("etc/config/network", "factory").file("etc/config/wireless", "factory-w")
                .file("etc/passwd", "p").asLower("rom");
        TreeBuilder up = layer().file("etc/config/network", "mine").whiteout("etc/config/wireless")
                .file("etc/dropbear/key", "k").file("root/notes", "x").whiteout("etc/passwd");
        MergedTree current = merge.merge(up.asUpper(), low);
        KeepList keep = KeepList.parse(List.of("# kept across reset", "/etc/config/", "/etc/drop*", "/etc/passwd"));
        MergedTree reset = FactoryReset.apply(current, keep, merge);
        assertEquals(0, reset.find("etc/config/network").layerIndex());
        assertEquals(NodeType.FILE, reset.find("etc/config/wireless").type(), "a backup cannot delete");
        assertNotNull(reset.find("etc/dropbear/key"));
        assertNull(reset.find("root/notes"));
        assertNotNull(reset.find("etc/passwd"), "deleted on the device, so not in the backup: factory copy returns");
        assertTrue(reset.findings().isEmpty());
    }

    @Test
    void keepListMatchesGlobsPerComponentAndDirectoriesRecursively() {
        KeepList k = KeepList.parse(List.of("/etc/config", "/etc/*.conf", "home/?ser"));
        assertTrue(k.keeps("/etc/config/network"));
        assertTrue(k.keeps("/etc/sysctl.conf"));
        assertFalse(k.keeps("/etc/x/sysctl.conf"));
        assertTrue(k.keeps("/home/user/.profile"));
        assertTrue(k.mayKeepBelow("/etc"));
        assertTrue(k.mayKeepBelow("/home"));
        assertFalse(k.mayKeepBelow("/usr"));
        assertEquals(Set.of(), Set.copyOf(KeepList.none().lines()));
    }
}
