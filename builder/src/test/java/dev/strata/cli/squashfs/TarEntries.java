package dev.strata.cli.squashfs;

import java.io.IOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writing the entries of the tar archives the -tar tests feed to create. */
final class TarEntries {
    private TarEntries() {
    }

    /** Writes entry and its content (null for an entry without data), sized to it. */
    static void put(TarArchiveOutputStream tar, TarArchiveEntry entry, byte[] content) throws IOException {
        if (content != null) {
            entry.setSize(content.length);
        }
        tar.putArchiveEntry(entry);
        if (content != null) {
            tar.write(content);
        }
        tar.closeArchiveEntry();
    }
}
