package dev.strata.overlay.tar;

/**
 * A tar header whose checksum does not match its bytes is damaged: any of its fields (size, mode,
 * owner, type) may be wrong. GNU tar refuses such a header ("Skipping to next header", exit status
 * 2); commons-compress hands the entry over (only {@code isCheckSumOK()} says so) and uses damaged
 * PAX and GNU long-name headers without a word. Every tar reader of the project reads through
 * {@link RawTarHeaders}, which checks each header block, and refuses the entry, so a damaged archive
 * never becomes a firmware with a wrong mode or a missing file and no word about it.
 */
public final class TarChecksum {
    private TarChecksum() {
    }

    /** Null when the entry's headers (PAX and GNU long-name ones included) are intact, else what is wrong. */
    public static String problem(RawTarHeaders.Entry headers) {
        if (headers.damaged() < 0) {
            return null;
        }
        return "its tar header at byte " + headers.damaged()
                + " does not match its checksum: the archive is damaged (GNU tar refuses it too); make it again";
    }
}
