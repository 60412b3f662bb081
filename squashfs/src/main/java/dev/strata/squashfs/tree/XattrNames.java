package dev.strata.squashfs.tree;

/** The xattr namespaces SquashFS can store: user., trusted. and security. */
public final class XattrNames {
    private XattrNames() {
    }

    public static void check(String name) {
        if (!isStorable(name)) {
            throw new IllegalArgumentException("xattr '" + name
                    + "' is not in a namespace SquashFS stores (user., trusted., security.)");
        }
    }

    public static boolean isStorable(String name) {
        for (String prefix : new String[] {"user.", "trusted.", "security."}) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                return true;
            }
        }
        return false;
    }
}
