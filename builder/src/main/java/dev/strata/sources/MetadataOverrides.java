package dev.strata.sources;

import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Owner and time rules applied to every inode after the tree is complete, as mksquashfs applies
 * -all-root / -force-uid / -force-gid, -all-time and SOURCE_DATE_EPOCH when it writes inodes.
 *
 * @param uid       every inode's uid (-all-root, -force-uid)
 * @param gid       every inode's gid (-all-root, -force-gid)
 * @param allTime   every inode's time (-all-time)
 * @param clampTime inode times later than this become this (SOURCE_DATE_EPOCH)
 */
public record MetadataOverrides(OptionalInt uid, OptionalInt gid, OptionalLong allTime, OptionalLong clampTime) {

    public static MetadataOverrides none() {
        return new MetadataOverrides(OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty(),
                OptionalLong.empty());
    }

    /** Only the owner rules (-all-root, -force-uid, -force-gid). */
    public MetadataOverrides owners() {
        return new MetadataOverrides(uid, gid, OptionalLong.empty(), OptionalLong.empty());
    }

    /** Only the time rules (-all-time, SOURCE_DATE_EPOCH). */
    public MetadataOverrides times() {
        return new MetadataOverrides(OptionalInt.empty(), OptionalInt.empty(), allTime, clampTime);
    }

    public boolean isEmpty() {
        return uid.isEmpty() && gid.isEmpty() && allTime.isEmpty() && clampTime.isEmpty();
    }

    public void applyTo(FileTree tree) {
        if (isEmpty()) {
            return;
        }
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        tree.walk((path, node) -> {
            if (seen.put(node, Boolean.TRUE) == null) {
                apply(node);
            }
        });
    }

    private void apply(Node node) {
        uid.ifPresent(node::setUid);
        gid.ifPresent(node::setGid);
        if (allTime.isPresent()) {
            node.setMtime(allTime.getAsLong());
        } else if (clampTime.isPresent() && node.mtime() > clampTime.getAsLong()) {
            node.setMtime(clampTime.getAsLong());
        }
    }
}
