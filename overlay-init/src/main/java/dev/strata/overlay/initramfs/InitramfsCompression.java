package dev.strata.overlay.initramfs;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** How the cpio archive is compressed; each is one the kernel unpacks itself (CONFIG_RD_*). */
public enum InitramfsCompression {
    NONE("none"),
    GZIP("gzip"),
    /** xz with CRC32 checks: the kernel's xz decoder does not know CRC64 or SHA-256. */
    XZ("xz"),
    ZSTD("zstd");

    private final String key;

    InitramfsCompression(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static InitramfsCompression fromKey(String key) {
        for (InitramfsCompression c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown initramfs compression '" + key + "' (none, gzip, xz, zstd)");
    }

    /** Wraps out; closing the result finishes the compressed stream and closes out. */
    public OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 65536) {
                {
                    def.setLevel(9);
                }
            };
            case XZ -> new XZOutputStream(out, new LZMA2Options(6), org.tukaani.xz.XZ.CHECK_CRC32);
            case ZSTD -> new ZstdOutputStream(out, 19);
        };
    }
}
