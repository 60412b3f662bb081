package dev.strata.image;

import dev.strata.spec.ByteSize;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Something does not fit the space the device gives it (a partition, the flash). The message says
 * by how many bytes and lists the largest contributors, so the user knows what to drop.
 */
public class BudgetException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long over;

    /** One thing taking space, largest first in the message. */
    public record Contributor(String name, long bytes) {
    }

    /**
     * @param what         the space ("the root partition (root-size 104 MiB)")
     * @param capacity     its size in bytes
     * @param needed       what the content needs in bytes
     * @param contributors the largest parts of the content, largest first
     * @param hint         what to change, without the leading "; " (may be empty)
     */
    public BudgetException(String what, long capacity, long needed, List<Contributor> contributors, String hint) {
        super(message(what, capacity, needed, contributors, hint));
        this.over = needed - capacity;
    }

    /** How many bytes too many. */
    public long over() {
        return over;
    }

    private static String message(String what, long capacity, long needed, List<Contributor> contributors,
                                  String hint) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s is too small by %,d bytes: it holds %,d bytes (%s) and needs %,d (%s)",
                what, needed - capacity, capacity, ByteSize.human(capacity), needed, ByteSize.human(needed)));
        if (!contributors.isEmpty()) {
            sb.append("; largest: ");
            for (int i = 0; i < contributors.size() && i < 5; i++) {
                Contributor c = contributors.get(i);
                sb.append(i == 0 ? "" : ", ").append(c.name()).append(' ').append(ByteSize.human(c.bytes()));
            }
        }
        if (hint != null && !hint.isEmpty()) {
            sb.append("; ").append(hint);
        }
        return sb.toString();
    }
}
