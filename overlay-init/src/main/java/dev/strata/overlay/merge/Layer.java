package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.FileTree;
import java.util.Objects;
import java.util.Optional;

/**
 * One overlay layer in the kernel's representation: whiteouts as 0/0 character devices (or, in
 * lower layers, xattr whiteouts), opaque directories by xattr. Sources in other notations (OCI
 * tars) are converted into this one when they are read.
 *
 * @param label                where the layer comes from, for listings and messages
 * @param tree                 its content
 * @param role                 upper or lower
 * @param opaqueUnknownReason  present when the layer's overlay xattrs could not be read (e.g. a
 *                             directory upper read without privileges): opaque directories are then
 *                             not recognisable and every place where it matters is reported
 */
public record Layer(String label, FileTree tree, Role role, Optional<String> opaqueUnknownReason) {
    public enum Role { UPPER, LOWER }

    public Layer {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(opaqueUnknownReason, "opaqueUnknownReason");
    }

    public static Layer lower(String label, FileTree tree) {
        return new Layer(label, tree, Role.LOWER, Optional.empty());
    }

    public static Layer upper(String label, FileTree tree) {
        return new Layer(label, tree, Role.UPPER, Optional.empty());
    }

    public Layer withOpaqueUnknown(String reason) {
        return new Layer(label, tree, role, Optional.of(reason));
    }

    public boolean isUpper() {
        return role == Role.UPPER;
    }
}
