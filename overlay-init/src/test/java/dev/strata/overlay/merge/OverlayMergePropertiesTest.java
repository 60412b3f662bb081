package dev.strata.overlay.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Laws the merge obeys for any layers (random trees from RandomLayers, seeded by jqwik). */
class OverlayMergePropertiesTest {
    private final OverlayMerge merge = new OverlayMerge();

    /**
     * What lookups find: the listing without link counts and readdir-only names, both of which depend
     * on how many layers a directory merges.
     */
    private static List<String> content(MergedTree t) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : TreeListing.of(t)) {
            if (!line.endsWith("lookup says ENOENT")) {
                out.add(line.replaceFirst(" n\\d+ ", " "));
            }
        }
        return out;
    }

    private static FileTree random(long seed, boolean markers) {
        return new RandomLayers(new Random(seed), markers).tree();
    }

    @Property(tries = 200)
    void mergingIsAssociative(@ForAll long a, @ForAll long b, @ForAll long c) throws IOException {
        Layer top = Layer.upper("a", random(a, true));
        Layer mid = Layer.lower("b", random(b, true));
        Layer bottom = Layer.lower("c", random(c, true));
        MergedTree all = merge.merge(top, mid, bottom);
        MergedTree lowerPart = merge.merge(mid, bottom);
        MergedTree nested = merge.merge(top, Layer.lower("b+c", lowerPart.toFileTree()));
        assertEquals(content(all), content(nested));
    }

    @Property(tries = 200)
    void aLayerWithoutMarkersMergesToItself(@ForAll long seed) throws IOException {
        FileTree t = random(seed, false);
        MergedTree alone = merge.merge(Layer.lower("only", t));
        MergedTree again = merge.merge(Layer.lower("copy", alone.toFileTree()));
        assertEquals(TreeListing.of(alone), TreeListing.of(again));
        assertEquals(count(t.root()), countMerged(alone.root()));
    }

    @Property(tries = 100)
    void whitingOutEveryTopLevelNameLeavesAnEmptyRoot(@ForAll long seed, @ForAll long seed2) {
        FileTree lower = random(seed, true);
        FileTree lower2 = random(seed2, true);
        FileTree upper = new FileTree();
        for (FileTree t : List.of(lower, lower2)) {
            for (Name n : t.root().children().keySet()) {
                upper.root().put(n, OverlayXattrs.newWhiteout());
            }
        }
        MergedTree m = merge.merge(Layer.upper("u", upper), Layer.lower("l", lower), Layer.lower("l2", lower2));
        assertTrue(m.root().children().isEmpty());
    }

    @Property(tries = 100)
    void anEmptyUpperChangesNothing(@ForAll long seed) throws IOException {
        FileTree lower = random(seed, true);
        MergedTree factory = merge.merge(Layer.lower("l", lower));
        MergedTree current = merge.merge(Layer.upper("u", new FileTree()), Layer.lower("l", lower));
        assertEquals(List.of(), UpperDiff.between(factory, current));
        assertEquals(content(factory).subList(1, content(factory).size()),
                content(current).subList(1, content(current).size()));
    }

    private static int count(DirectoryNode d) {
        int n = 1;
        for (var c : d.children().values()) {
            n += c instanceof DirectoryNode sub ? count(sub) : 1;
        }
        return n;
    }

    private static int countMerged(MergedDirectory d) {
        int n = 1;
        for (var c : d.children().values()) {
            n += c instanceof MergedDirectory sub ? countMerged(sub) : 1;
        }
        return n;
    }
}
