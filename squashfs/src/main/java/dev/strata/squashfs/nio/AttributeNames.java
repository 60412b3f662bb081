package dev.strata.squashfs.nio;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files.readAttributes(path, "view:name,name") for the views "basic", "posix", "owner", "unix",
 * "user" (user.* xattrs by short name, values as byte[]) and "xattr" (every xattr by full name:
 * "xattr:*", "xattr:trusted.overlay.opaque").
 */
final class AttributeNames {
    private AttributeNames() {
    }

    static Map<String, Object> read(SquashfsPath path, String attributes, boolean followLinks) throws IOException {
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String names = colon < 0 ? attributes : attributes.substring(colon + 1);
        if (!SquashfsFileSystem.VIEWS.contains(view)) {
            throw new UnsupportedOperationException("view '" + view + "' is not available (one of "
                    + SquashfsFileSystem.VIEWS + ")");
        }
        SquashfsFileSystem fs = path.getFileSystem();
        Map<String, Object> all = switch (view) {
            case "basic", "posix", "unix", "owner" -> fs.attributes(path, followLinks).view(view);
            case "user" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                fs.image().xattrs(fs.inode(path, followLinks)).forEach((k, v) -> {
                    if (k.startsWith(XattrView.USER)) {
                        m.put(k.substring(XattrView.USER.length()), v.clone());
                    }
                });
                yield m;
            }
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                fs.image().xattrs(fs.inode(path, followLinks)).forEach((k, v) -> m.put(k, v.clone()));
                yield m;
            }
        };
        if (names.equals("*")) {
            return all;
        }
        boolean isXattrView = view.equals("user") || view.equals("xattr");
        Map<String, Object> selected = new LinkedHashMap<>();
        for (String name : names.split(",")) {
            if (name.equals("*")) {
                selected.putAll(all);
            } else if (all.containsKey(name)) {
                selected.put(name, all.get(name));
            } else if (!isXattrView) {
                throw new IllegalArgumentException("'" + name + "' not recognized by the " + view + " view");
            }
        }
        return selected;
    }
}
