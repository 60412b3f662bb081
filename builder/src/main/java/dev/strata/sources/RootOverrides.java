package dev.strata.sources;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileTree;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The root directory's own mode, owner and time (mksquashfs -root-mode, -root-uid, -root-gid,
 * -root-time). Applied before {@link MetadataOverrides}, so -all-root, -force-uid/-gid, -all-time and
 * SOURCE_DATE_EPOCH still have the last word, as in mksquashfs.
 */
public record RootOverrides(OptionalInt mode, OptionalInt uid, OptionalInt gid, OptionalLong time) {

    public static RootOverrides none() {
        return new RootOverrides(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty());
    }

    public RootOverrides {
        mode.ifPresent(m -> {
            if (m < 0 || m > 07777) {
                throw new IllegalArgumentException("root mode " + Integer.toOctalString(m) + " is not an octal mode up to 7777");
            }
        });
    }

    public void applyTo(FileTree tree) {
        DirectoryNode root = tree.root();
        mode.ifPresent(root::setPermissions);
        uid.ifPresent(root::setUid);
        gid.ifPresent(root::setGid);
        time.ifPresent(root::setMtime);
    }
}
