package dev.strata.overlay.tar;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * Watches a tar stream on its way into commons-compress and keeps, for each entry, its name, link
 * name and PAX records as raw bytes. commons-compress decodes PAX values as UTF-8, which loses binary
 * xattr values (security.capability, trusted.overlay.origin) and names that are not UTF-8; GNU tar
 * writes both as raw bytes. The entries come out in archive order, one per entry commons-compress
 * returns (global PAX headers included; PAX 'x' and GNU 'L'/'K' headers belong to the entry after
 * them). Only headers are parsed here; data is counted and passed through.
 */
public final class RawTarHeaders extends FilterInputStream {
    private static final int BLOCK = 512;
    /** Largest PAX or long-name header kept; larger ones are passed through and not kept. */
    private static final int MAX_KEPT = 1 << 20;

    /**
     * One entry's header as stored.
     *
     * @param type     the typeflag byte ('0', '5', '2', 'g', ...)
     * @param name     PAX GNU.sparse.name or path, else GNU long name, else ustar prefix/name
     * @param linkName PAX linkpath, else GNU long link, else the header's link name
     * @param pax      the PAX records that apply to the entry (key, raw value)
     * @param offset   where the entry's own header starts in the (uncompressed) stream, for messages
     * @param damaged  where the first of its headers (PAX, GNU long name or its own) that does not match
     *                 its checksum starts, else -1
     */
    public record Entry(byte type, byte[] name, byte[] linkName, Map<String, byte[]> pax, long offset,
                        long damaged) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    /** Bytes of the stream seen so far. */
    private long consumed;
    /** Bytes of data (and padding) still to pass before the next header. */
    private long dataLeft;
    private long dataSize;
    private ByteArrayOutputStream kept;
    private byte keptType;
    private int extensionBlocks;
    private Map<String, byte[]> pendingPax = new LinkedHashMap<>();
    private byte[] pendingLongName;
    private byte[] pendingLongLink;
    private long pendingDamage = -1;
    private boolean endOfArchive;

    public RawTarHeaders(InputStream in) {
        super(in);
    }

    /**
     * Whether tar's end-of-archive marker (a zero block) came after the last header seen.
     * commons-compress ends quietly where the stream ends, so without this check a truncated archive
     * reads as a shorter one.
     */
    public boolean sawEndOfArchive() {
        return endOfArchive;
    }

    /** Bytes of the stream seen so far. */
    public long consumed() {
        return consumed;
    }

    /** The raw header of entry, the next one commons-compress returned. */
    public Entry next(TarArchiveEntry entry) throws IOException {
        Entry e = entries.pollFirst();
        if (e == null || e.type() != entry.getLinkFlag()) {
            throw new IOException("entry '" + entry.getName() + "': its raw header was not seen where expected"
                    + " (unsupported tar extension?)");
        }
        return e;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            feed(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            feed(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
        long done = 0;
        while (done < n) {
            int k = read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (k < 0) {
                break;
            }
            done += k;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would show us the same bytes twice
    }

    private void feed(byte[] b, int off, int len) throws IOException {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (dataLeft > 0) {
                int n = (int) Math.min(dataLeft, end - i);
                long dataBefore = dataSize - (padded(dataSize) - dataLeft);
                if (kept != null && dataBefore > 0) {
                    kept.write(b, i, (int) Math.min(n, dataBefore));
                }
                dataLeft -= n;
                i += n;
                consumed += n;
                if (dataLeft == 0 && kept != null) {
                    finishKept();
                }
                continue;
            }
            int n = Math.min(BLOCK - headerFill, end - i);
            System.arraycopy(b, i, header, headerFill, n);
            headerFill += n;
            i += n;
            consumed += n;
            if (headerFill == BLOCK) {
                headerFill = 0;
                onHeaderBlock();
            }
        }
    }

    private void onHeaderBlock() throws IOException {
        if (extensionBlocks > 0) {
            // old GNU sparse: more sparse maps follow while the "is extended" byte is set
            extensionBlocks = header[504] != 0 ? 1 : 0;
            if (extensionBlocks == 0) {
                startData(dataSize, null);
            }
            return;
        }
        if (allZero(header)) {
            endOfArchive = true;
            return; // end-of-archive marker (a concatenated archive may follow)
        }
        endOfArchive = false;
        if (pendingDamage < 0 && !TarUtils.verifyCheckSum(header)) {
            pendingDamage = consumed - BLOCK;
        }
        byte type = header[156];
        long size = number(header, 124, 12);
        switch (type) {
            case 'x', 'X' -> startData(size, type);
            case 'L', 'K' -> startData(size, type);
            default -> {
                // GNU tar's PAX sparse files keep their real name in GNU.sparse.name
                byte[] name = pendingPax.containsKey("GNU.sparse.name") ? pendingPax.get("GNU.sparse.name")
                        : pendingPax.containsKey("path") ? pendingPax.get("path")
                        : pendingLongName != null ? pendingLongName : ustarName(header);
                byte[] link = pendingPax.containsKey("linkpath") ? pendingPax.get("linkpath")
                        : pendingLongLink != null ? pendingLongLink : field(header, 157, 100);
                Map<String, byte[]> pax = Collections.unmodifiableMap(pendingPax);
                if (pax.containsKey("size")) {
                    size = Long.parseLong(new String(pax.get("size"), StandardCharsets.US_ASCII).trim());
                }
                entries.addLast(new Entry(type, name, link, pax, consumed - BLOCK, pendingDamage));
                pendingDamage = -1;
                pendingPax = new LinkedHashMap<>();
                pendingLongName = null;
                pendingLongLink = null;
                if (type == 'S' && header[482] != 0) {
                    dataSize = size;
                    extensionBlocks = 1;
                } else {
                    startData(size, null);
                }
            }
        }
    }

    private void startData(long size, Byte keep) {
        dataSize = size;
        dataLeft = padded(size);
        kept = keep != null && size <= MAX_KEPT ? new ByteArrayOutputStream((int) size) : null;
        keptType = keep == null ? 0 : keep;
        if (dataLeft == 0 && kept != null) {
            finishKept();
        }
    }

    private void finishKept() {
        byte[] data = kept.toByteArray();
        kept = null;
        switch (keptType) {
            case 'x', 'X' -> pendingPax.putAll(paxRecords(data));
            case 'L' -> pendingLongName = untilNul(data);
            case 'K' -> pendingLongLink = untilNul(data);
            default -> { }
        }
    }

    /** "LEN key=value\n" records; the value is kept as bytes. Malformed records end the parse. */
    static Map<String, byte[]> paxRecords(byte[] data) {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                break;
            }
            int end = pos + length;
            if (length <= 0 || end > data.length || data[end - 1] != '\n' || space + 1 >= end) {
                break;
            }
            int equals = space + 1;
            while (equals < end && data[equals] != '=') {
                equals++;
            }
            if (equals >= end) {
                break;
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(data, equals + 1, end - 1);
            if (value.length == 0) {
                records.remove(key); // "key=" deletes the record
            } else {
                records.put(key, value);
            }
            pos = end;
        }
        return records;
    }

    private static byte[] ustarName(byte[] h) {
        byte[] name = field(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        boolean gnu = ustar && h[262] == ' ';
        if (!ustar || gnu) {
            return name; // the GNU format keeps other data where ustar has its prefix
        }
        byte[] prefix = field(h, 345, 155);
        if (prefix.length == 0) {
            return name;
        }
        byte[] joined = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
        joined[prefix.length] = '/';
        System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
        return joined;
    }

    private static byte[] field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return Arrays.copyOfRange(h, off, end);
    }

    private static byte[] untilNul(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return Arrays.copyOf(data, end);
    }

    /** An octal number field, or GNU's base-256 form (high bit of the first byte set). */
    private static long number(byte[] h, int off, int len) throws IOException {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x3F;
            for (int i = 1; i < len; i++) {
                if (v >>> 55 != 0) {
                    throw new IOException("tar header: size field too large");
                }
                v = v << 8 | (h[off + i] & 0xFF);
            }
            return v;
        }
        long v = 0;
        int i = off;
        while (i < off + len && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        for (; i < off + len && h[i] >= '0' && h[i] <= '7'; i++) {
            v = v << 3 | (h[i] - '0');
        }
        return v;
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
