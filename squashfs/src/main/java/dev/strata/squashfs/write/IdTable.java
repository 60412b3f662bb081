package dev.strata.squashfs.write;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Assigns 16-bit indices to uid/gid values in order of first use. */
final class IdTable {
    static final int MAX_IDS = 65536;
    private final Map<Integer, Integer> indices = new HashMap<>();
    private final List<Integer> ids = new ArrayList<>();

    int indexOf(int id) {
        Integer index = indices.get(id);
        if (index == null) {
            if (ids.size() == MAX_IDS) {
                throw new IllegalStateException("more than " + MAX_IDS + " distinct uids and gids");
            }
            index = ids.size();
            indices.put(id, index);
            ids.add(id);
        }
        return index;
    }

    List<Integer> ids() {
        return ids;
    }
}
