package dev.strata.squashfs.compress;

import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.tukaani.xz.ARM64Options;
import org.tukaani.xz.ARMOptions;
import org.tukaani.xz.ARMThumbOptions;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.IA64Options;
import org.tukaani.xz.PowerPCOptions;
import org.tukaani.xz.RISCVOptions;
import org.tukaani.xz.SPARCOptions;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.simple.ARM;
import org.tukaani.xz.simple.ARM64;
import org.tukaani.xz.simple.ARMThumb;
import org.tukaani.xz.simple.IA64;
import org.tukaani.xz.simple.PowerPC;
import org.tukaani.xz.simple.RISCVDecoder;
import org.tukaani.xz.simple.SPARC;
import org.tukaani.xz.simple.SimpleFilter;
import org.tukaani.xz.simple.X86;

/**
 * The branch/call/jump filters -Xbcj accepts, in the order of their bit in the xz options block.
 * mksquashfs 4.5.1 knows the first six; arm64 and riscv came with later squashfs-tools. The kernel
 * decodes a filter only when built with its CONFIG_XZ_DEC_* option: arm64 and riscv need Linux 6.12
 * or later, and kernels without IA-64 support may lack the ia64 decoder. liblzma (unsquashfs)
 * knows arm64 since 5.4 and riscv since 5.6. Whichever filter shrinks a block most is stored, so
 * every filter offered must be decodable by the target.
 */
public enum XzBcjFilter {
    X86("x86", X86Options::new, 0x04, start -> new X86(false, start)),
    POWERPC("powerpc", PowerPCOptions::new, 0x05, start -> new PowerPC(false, start)),
    IA64("ia64", IA64Options::new, 0x06, start -> new IA64(false, start)),
    ARM("arm", ARMOptions::new, 0x07, start -> new ARM(false, start)),
    ARMTHUMB("armthumb", ARMThumbOptions::new, 0x08, start -> new ARMThumb(false, start)),
    SPARC("sparc", SPARCOptions::new, 0x09, start -> new SPARC(false, start)),
    ARM64("arm64", ARM64Options::new, 0x0A, start -> new ARM64(false, start)),
    RISCV("riscv", RISCVOptions::new, 0x0B, RISCVDecoder::new);

    private final String mksquashfsName;
    private final Supplier<FilterOptions> options;
    /** The filter's id in an xz block header. */
    private final long filterId;
    private final IntFunction<SimpleFilter> decoder;

    XzBcjFilter(String mksquashfsName, Supplier<FilterOptions> options, long filterId,
                IntFunction<SimpleFilter> decoder) {
        this.mksquashfsName = mksquashfsName;
        this.options = options;
        this.filterId = filterId;
        this.decoder = decoder;
    }

    /** The filter undoing this one's conversion, for data starting at start. */
    SimpleFilter decoder(int start) {
        return decoder.apply(start);
    }

    /** The filter with this xz filter id, or null. */
    static XzBcjFilter fromFilterId(long id) {
        for (XzBcjFilter f : values()) {
            if (f.filterId == id) {
                return f;
            }
        }
        return null;
    }

    public String mksquashfsName() {
        return mksquashfsName;
    }

    /** The bit of this filter in the options block's flags field. */
    public int optionsBit() {
        return 1 << ordinal();
    }

    FilterOptions filterOptions() {
        return options.get();
    }

    public static XzBcjFilter fromName(String name) {
        for (XzBcjFilter f : values()) {
            if (f.mksquashfsName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("xz: unknown BCJ filter '" + name
                + "' (allowed: x86, powerpc, ia64, arm, armthumb, sparc, arm64, riscv)");
    }
}
