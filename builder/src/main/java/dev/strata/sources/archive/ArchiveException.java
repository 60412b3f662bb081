package dev.strata.sources.archive;

import java.io.IOException;

/** An archive or package that cannot be used; the message names the archive and, if known, the entry. */
public class ArchiveException extends IOException {
    private static final long serialVersionUID = 1L;

    public ArchiveException(String archive, String entry, String problem) {
        super(archive + (entry == null ? "" : ": entry '" + entry + "'") + ": " + problem);
    }

    public ArchiveException(String archive, String entry, String problem, Throwable cause) {
        super(archive + (entry == null ? "" : ": entry '" + entry + "'") + ": " + problem, cause);
    }
}
