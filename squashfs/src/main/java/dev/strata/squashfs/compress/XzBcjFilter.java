package dev.strata.squashfs.compress;

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

/**
 * The branch/call/jump filters -Xbcj accepts, in the order of their bit in the xz options block.
 * mksquashfs 4.5.1 knows the first six; arm64 and riscv came with later squashfs-tools. The kernel
 * decodes a filter only when built with its CONFIG_XZ_DEC_* option: arm64 and riscv need Linux 6.12
 * or later, and kernels without IA-64 support may lack the ia64 decoder. liblzma (unsquashfs)
 * knows arm64 since 5.4 and riscv since 5.6. Whichever filter shrinks a block most is stored, so
 * every filter offered must be decodable by the target.
 */
public enum XzBcjFilter {
    X86("x86", X86Options::new),
    POWERPC("powerpc", PowerPCOptions::new),
    IA64("ia64", IA64Options::new),
    ARM("arm", ARMOptions::new),
    ARMTHUMB("armthumb", ARMThumbOptions::new),
    SPARC("sparc", SPARCOptions::new),
    ARM64("arm64", ARM64Options::new),
    RISCV("riscv", RISCVOptions::new);

    private final String mksquashfsName;
    private final Supplier<FilterOptions> options;

    XzBcjFilter(String mksquashfsName, Supplier<FilterOptions> options) {
        this.mksquashfsName = mksquashfsName;
        this.options = options;
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
