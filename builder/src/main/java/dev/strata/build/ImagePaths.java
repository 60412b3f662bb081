package dev.strata.build;

import dev.strata.squashfs.tree.InvalidNameException;
import dev.strata.squashfs.tree.Name;
import java.util.ArrayList;
import java.util.List;

/** Absolute image paths as name lists and back. */
public final class ImagePaths {
    private ImagePaths() {
    }

    /** "/a/b" or "a/b" to [a, b]; "." components and repeated slashes are dropped. */
    public static List<Name> names(String path) {
        List<Name> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new InvalidNameException("'..' in image path '" + path + "'");
            }
            names.add(Name.of(part));
        }
        return names;
    }

    /** [a, b] to "/a/b"; the root is "/". */
    public static String display(List<Name> names) {
        if (names.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (Name n : names) {
            sb.append('/').append(n);
        }
        return sb.toString();
    }

    public static List<Name> child(List<Name> parent, Name name) {
        List<Name> out = new ArrayList<>(parent.size() + 1);
        out.addAll(parent);
        out.add(name);
        return out;
    }
}
