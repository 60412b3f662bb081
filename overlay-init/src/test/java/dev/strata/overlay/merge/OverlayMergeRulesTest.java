package dev.strata.overlay.merge;

import static dev.strata.overlay.merge.TreeBuilder.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.NodeType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlayMergeRulesTest {
    private final OverlayMerge merge = new OverlayMerge();

    private static List<String> listing(MergedTree t) {
        List<String> out = new ArrayList<>();
        t.walk(e -> out.add(e.path() + " " + e.type() + " @" + e.layerIndex()));
        return out;
    }

    private static String content(MergedTree t, String path) throws IOException {
        try (InputStream in = ((FileNode) t.find(path).node()).content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void firstLayerHoldingANameDecides() throws IOException {
        MergedTree t = merge.merge(layer().file("a", "up").asUpper(),
                layer().file("a", "low").file("b", "low").asLower("l"));
        assertEquals("up", content(t, "a"));
        assertEquals("low", content(t, "b"));
        assertEquals(0, t.find("a").layerIndex());
        assertEquals(1, t.find("b").layerIndex());
    }

    @Test
    void whiteoutRemovesTheNameAndEverythingBelow() {
        MergedTree t = merge.merge(layer().whiteout("a").whiteout("d").asUpper(),
                layer().file("a", "x").dir("d").file("d/f", "y").asLower("l"));
        assertNull(t.find("a"));
        assertNull(t.find("d"));
        assertEquals(List.of("/ DIRECTORY @0"), listing(t));
    }

    @Test
    void whiteoutWithAnyModeAndOwnerIsAWhiteout() {
        var up = layer();
        up.tree.put("a", OverlayXattrs.newWhiteout().setPermissions(0644).setUid(1000));
        assertNull(merge.merge(up.asUpper(), layer().file("a", "x").asLower("l")).find("a"));
    }

    @Test
    void otherCharacterDevicesAreNotWhiteouts() {
        MergedTree t = merge.merge(layer().device("a", 1, 3).asUpper(), layer().file("a", "x").asLower("l"));
        assertEquals(NodeType.CHAR_DEVICE, t.find("a").type());
    }

    @Test
    void whiteoutWithNothingBelowIsInvisible() {
        assertNull(merge.merge(layer().whiteout("ghost").asUpper(), layer().asLower("l")).find("ghost"));
    }

    @Test
    void directoriesMergeTheirNames() {
        MergedTree t = merge.merge(layer().file("d/u", "1").asUpper(),
                layer().file("d/l", "2").asLower("l"));
        MergedDirectory d = (MergedDirectory) t.find("d");
        assertEquals(2, d.children().size());
        assertTrue(d.isMerged());
        assertEquals(1, d.nlink());
    }

    @Test
    void opaqueDirectoryHidesLowerContent() {
        MergedTree t = merge.merge(layer().opaqueDir("d").file("d/u", "1").asUpper(),
                layer().file("d/l", "2").asLower("l"));
        MergedDirectory d = (MergedDirectory) t.find("d");
        assertEquals(1, d.children().size());
        assertFalse(d.isMerged());
        assertEquals(MergedDirectory.Stop.OPAQUE, d.stop());
        assertEquals(2, d.nlink());
    }

    @Test
    void opaqueMeansExactlyTheByteY() {
        MergedTree t = merge.merge(layer().dir("d").xattr("d", "trusted.overlay.opaque", "yes").asUpper(),
                layer().file("d/l", "2").asLower("l"));
        assertTrue(((MergedDirectory) t.find("d")).isMerged());
    }

    @Test
    void userxattrReadsUserOverlayOpaque() {
        var up = layer().dir("d").xattr("d", "user.overlay.opaque", "y");
        var low = layer().file("d/l", "2");
        assertEquals(1, ((MergedDirectory) merge.merge(up.asUpper(), low.asLower("l")).find("d")).children().size());
        MergedTree withUserxattr = new OverlayMerge(new MergeOptions(true, true)).merge(up.asUpper(), low.asLower("l"));
        assertEquals(0, ((MergedDirectory) withUserxattr.find("d")).children().size());
        // and the kernel hides its own xattrs from the merged view
        assertTrue(withUserxattr.find("d").xattrs().isEmpty());
    }

    @Test
    void upperFileHidesLowerDirectory() {
        MergedTree t = merge.merge(layer().file("d", "f").asUpper(),
                layer().file("d/x", "1").asLower("l"));
        assertEquals(List.of("/ DIRECTORY @0", "/d FILE @0"), listing(t));
    }

    @Test
    void upperDirectoryHidesLowerFileAndStopsThere() {
        MergedTree t = merge.merge(layer().file("d/u", "1").asUpper(),
                layer().file("d", "file").asLower("mid"),
                layer().file("d/deep", "2").asLower("bottom"));
        MergedDirectory d = (MergedDirectory) t.find("d");
        assertEquals(List.of("u"), d.children().keySet().stream().map(Object::toString).toList());
        assertEquals(MergedDirectory.Stop.NON_DIRECTORY, d.stop());
        assertFalse(d.isMerged());
    }

    @Test
    void middleLayerNonDirectoryCutsOffLayersBelow() {
        MergedTree t = merge.merge(layer().dir("x").asLower("top"),
                layer().symlink("x", "elsewhere").asLower("mid"),
                layer().file("x/y", "1").asLower("bottom"));
        assertEquals(0, ((MergedDirectory) t.find("x")).children().size());
    }

    @Test
    void middleLayerWhiteoutCutsOffLayersBelow() {
        MergedTree t = merge.merge(layer().file("d/top", "1").asUpper(),
                layer().whiteout("d").asLower("mid"),
                layer().file("d/bottom", "2").asLower("bottom"));
        MergedDirectory d = (MergedDirectory) t.find("d");
        assertEquals(1, d.children().size());
        assertEquals(MergedDirectory.Stop.WHITEOUT, d.stop());
    }

    @Test
    void severalLowersMergeInOrder() throws IOException {
        MergedTree t = merge.merge(layer().file("etc/a", "top").asLower("addon"),
                layer().file("etc/a", "base").file("etc/b", "base").asLower("base"));
        assertEquals("top", content(t, "etc/a"));
        assertEquals("base", content(t, "etc/b"));
        assertTrue(((MergedDirectory) t.find("etc")).isMerged());
    }

    @Test
    void directoryMetadataComesFromTheTopmostDirectory() {
        MergedTree t = merge.merge(layer().dir("d", 0700, 1000).xattr("d", "user.k", "up").asUpper(),
                layer().dir("d", 0755, 0).xattr("d", "user.k", "low").xattr("d", "user.only", "low").asLower("l"));
        MergedEntry d = t.find("d");
        assertEquals(0700, d.node().permissions());
        assertEquals(1000, d.node().uid());
        assertEquals(List.of("user.k"), List.copyOf(d.xattrs().keySet()));
    }

    @Test
    void singleLayerDirectoryReportsItsOwnLinkCount() {
        MergedTree t = merge.merge(layer().dir("d/a").dir("d/b").file("d/f", "").asUpper(), layer().asLower("l"));
        assertEquals(4, t.find("d").nlink());
    }

    @Test
    void hardLinksInALayerKeepTheirLinkCount() {
        MergedTree t = merge.merge(layer().file("a", "x").hardLink("b", "a").asUpper(), layer().asLower("l"));
        assertEquals(2, t.find("a").nlink());
        assertTrue(t.find("a").node() == t.find("b").node());
    }

    @Test
    void xattrWhiteoutIsFilteredFromListingsWhereAnUpperLowerMarksItsDirectory() {
        var mid = layer().dir("d").xattr("d", "trusted.overlay.opaque", "x").file("d/gone", "")
                .xattr("d/gone", "trusted.overlay.whiteout", "");
        MergedTree t = merge.merge(mid.asLower("mid"), layer().file("d/gone", "old").file("d/kept", "k").asLower("b"));
        MergedDirectory d = (MergedDirectory) t.find("d");
        assertNull(d.get("gone"));
        assertTrue(d.phantoms().isEmpty());
        assertTrue(d.isMerged(), "opaque=x is not opaque");
    }

    @Test
    void xattrWhiteoutWithoutTheMarkerIsListedButCannotBeLookedUp() {
        // lookup honours the xattr anywhere; readdir filters it only below an "x" marker
        var unmarked = layer().file("d/gone", "").xattr("d/gone", "trusted.overlay.whiteout", "");
        MergedTree u = merge.merge(unmarked.asLower("mid"), layer().file("d/gone", "old").asLower("b"));
        MergedDirectory d = (MergedDirectory) u.find("d");
        assertNull(d.get("gone"));
        assertEquals(List.of("gone"), d.phantoms().stream().map(Object::toString).toList());
        assertEquals(MergeFinding.Kind.LISTED_BUT_NOT_FOUND, u.findings().get(0).kind());
        // older kernels (before 6.7) do not know them: an ordinary empty file
        MergedTree old = new OverlayMerge(new MergeOptions(false, false))
                .merge(unmarked.asLower("mid"), layer().file("d/gone", "old").asLower("b"));
        assertEquals(NodeType.FILE, old.find("d/gone").type());
    }

    @Test
    void whiteoutInADirectoryOnlyOneLayerProvidesIsListedButCannotBeLookedUp() {
        MergedTree t = merge.merge(layer().dir("n").whiteout("n/w").asUpper(), layer().asLower("l"));
        assertEquals(List.of("w"), ((MergedDirectory) t.find("n")).phantoms().stream().map(Object::toString).toList());
        // a copied-up directory (origin xattr) is read as merged: the whiteout is filtered
        MergedTree q = merge.merge(layer().dir("q").xattr("q", "trusted.overlay.origin", "").whiteout("q/w").asUpper(),
                layer().asLower("l"));
        assertTrue(((MergedDirectory) q.find("q")).phantoms().isEmpty());
    }

    @Test
    void redirectAndMetacopyAreReportedNotFollowed() {
        var up = layer().dir("new").xattr("new", "trusted.overlay.redirect", "/old")
                .file("f", "").xattr("f", "trusted.overlay.metacopy", "");
        MergedTree t = merge.merge(up.asUpper(), layer().file("old/x", "1").file("f", "data").asLower("l"));
        assertEquals(2, t.findings().size());
        assertEquals(MergeFinding.Kind.UNSUPPORTED_METACOPY, t.findings().get(0).kind());
        assertEquals(MergeFinding.Kind.UNSUPPORTED_REDIRECT, t.findings().get(1).kind());
        assertTrue(t.find("new").unsupported() != null);
        assertTrue(t.find("f").unsupported() != null);
        assertTrue(((MergedDirectory) t.find("new")).children().isEmpty());
    }

    @Test
    void unknownOpaqueStateIsReportedWhereItMatters() {
        Layer up = layer().dir("both").dir("onlyup").asUpper().withOpaqueUnknown("no getfattr");
        MergedTree t = merge.merge(up, layer().file("both/x", "1").asLower("l"));
        assertEquals(1, t.findings().size());
        assertEquals("/both", t.findings().get(0).path());
        assertEquals(MergeFinding.Kind.OPAQUE_UNKNOWN, t.findings().get(0).kind());
    }

    @Test
    void upperMustBeOnTop() {
        assertThrows(IllegalArgumentException.class,
                () -> merge.merge(layer().asLower("l"), layer().asUpper()));
    }

    @Test
    void exportedTreeDropsOverlayXattrsAndKeepsHardLinks() {
        var up = layer().file("a", "x").hardLink("b", "a").opaqueDir("d");
        var t = merge.merge(up.asUpper(), layer().file("d/x", "1").asLower("l")).toFileTree();
        assertTrue(t.find("a") == t.find("b"));
        assertTrue(t.find("d").xattrs().isEmpty());
        assertInstanceOf(FileNode.class, t.find("a"));
    }
}
