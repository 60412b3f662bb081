package dev.strata.squashfs.nio;

import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;

/**
 * An owner or group as the image stores it: a number, with no name (an image has no passwd file that
 * applies to it). getName() is the decimal id.
 */
record NumericPrincipal(long id, boolean group) implements GroupPrincipal, UserPrincipal {
    @Override
    public String getName() {
        return Long.toString(id);
    }

    @Override
    public String toString() {
        return getName();
    }
}
