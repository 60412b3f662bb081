package dev.strata.preview;

import dev.strata.overlay.merge.MergedDirectory;
import dev.strata.overlay.merge.MergedEntry;
import dev.strata.overlay.merge.MergedTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.SymlinkNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Path lookup in a merged tree with symlinks resolved inside it (never on the host). */
public final class MergedPaths {
    private static final int MAX_SYMLINKS = 40;

    private MergedPaths() {
    }

    /** The entry at path, following symlinks in every component, the last too when followLast. */
    public static MergedEntry resolve(MergedTree tree, String path, boolean followLast) throws PreviewException {
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<MergedEntry> stack = new ArrayList<>();
        stack.add(tree.root());
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            MergedEntry current = stack.get(stack.size() - 1);
            if (c.equals("..")) {
                if (stack.size() > 1) {
                    stack.remove(stack.size() - 1);
                }
                continue;
            }
            if (!(current instanceof MergedDirectory dir)) {
                throw new PreviewException(path + ": " + current.path() + " is not a directory");
            }
            MergedEntry next = dir.get(Name.of(c));
            if (next == null) {
                throw new PreviewException(path + ": no such file or directory in the merged root");
            }
            if (next.node() instanceof SymlinkNode link && (followLast || !todo.isEmpty())) {
                if (++links > MAX_SYMLINKS) {
                    throw new PreviewException(path + ": too many levels of symbolic links");
                }
                String target = new String(link.target(), java.nio.charset.StandardCharsets.UTF_8);
                List<String> parts = components(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                if (target.startsWith("/")) {
                    stack.subList(1, stack.size()).clear();
                }
                continue;
            }
            stack.add(next);
        }
        return stack.get(stack.size() - 1);
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                out.add(p);
            }
        }
        return out;
    }
}
