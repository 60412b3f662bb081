package dev.strata.overlay.tar;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * A tar header whose checksum does not match its bytes is damaged: any of its fields (size, mode,
 * owner, type) may be wrong. GNU tar refuses such a header ("Skipping to next header", exit status
 * 2); commons-compress hands the entry over with {@link TarArchiveEntry#isCheckSumOK()} false. Every
 * tar reader of the project refuses it, so a damaged archive never becomes a firmware with a wrong
 * mode or a missing file and no word about it.
 */
public final class TarChecksum {
    private TarChecksum() {
    }

    /** Null when the entry's headers (PAX and GNU long-name ones included) are intact, else what is wrong. */
    public static String problem(TarArchiveEntry entry, RawTarHeaders.Entry headers) {
        return headers.damaged() >= 0 ? damagedAt(headers.damaged()) : problem(entry, headers.offset());
    }

    /**
     * Null for an intact header, else what is wrong.
     *
     * @param headerOffset where the header starts in the tar stream ({@link RawTarHeaders.Entry#offset()}),
     *                     or -1 where not known
     */
    public static String problem(TarArchiveEntry entry, long headerOffset) {
        if (entry.isCheckSumOK()) {
            return null;
        }
        return damagedAt(headerOffset);
    }

    private static String damagedAt(long headerOffset) {
        return "its tar header" + (headerOffset >= 0 ? " at byte " + headerOffset : "")
                + " does not match its checksum: the archive is damaged (GNU tar refuses it too); make it again";
    }
}
