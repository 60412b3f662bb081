package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.cli.CliContext;
import dev.strata.cli.CliRun;
import dev.strata.cli.StrataCli;
import dev.strata.image.SquashfsImageRequest;
import dev.strata.sources.MetadataOverrides;
import dev.strata.sources.exclude.ExcludeStyle;
import dev.strata.sources.pseudo.PseudoDefinition;
import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.write.FragmentPolicy;
import dev.strata.squashfs.write.WriterOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Every mksquashfs option of create lands in the right field of the request and of WriterOptions. */
class CreateOptionsTest {
    private static CreateCommand parse(CliContext context, String... args) {
        CommandLine cl = StrataCli.commandLine(context, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        List<String> full = new ArrayList<>(List.of("squashfs", "create"));
        full.addAll(List.of(args));
        CommandLine.ParseResult result = cl.parseArgs(full.toArray(String[]::new));
        return (CreateCommand) result.subcommand().subcommand().commandSpec().userObject();
    }

    private static SquashfsImageRequest request(Map<String, String> env, String stdin, String... args) throws IOException {
        CliContext context = CliRun.context(env, stdin);
        return parse(context, args).request(context);
    }

    private static SquashfsImageRequest request(String... args) throws IOException {
        return request(Map.of(), "", args);
    }

    private static String usageError(String... args) {
        return assertThrows(ParameterException.class, () -> request(args)).getMessage();
    }

    private static WriterOptions writerOptions(SquashfsImageRequest r) {
        return r.writerOptions(new NamedCompressor());
    }

    @Test
    void defaultsAreMksquashfsDefaults() throws IOException {
        SquashfsImageRequest r = request("src", "out.img");
        assertEquals(List.of(Path.of("src")), r.sources());
        assertEquals(Path.of("out.img"), r.output());
        assertFalse(r.overwrite());
        assertFalse(r.keepAsDirectory());
        assertEquals(CompressorId.GZIP, r.compressor());
        assertEquals(List.of(), r.compressorOptions());
        assertEquals(ExcludeStyle.EXACT, r.excludeStyle());
        assertEquals(List.of(), r.excludes());
        assertEquals(List.of(), r.pseudo());
        assertEquals(MetadataOverrides.none(), r.overrides());
        WriterOptions w = writerOptions(r);
        assertEquals(128 * 1024, w.blockSize());
        assertTrue(w.pad());
        assertEquals(FragmentPolicy.SMALL_FILES, w.fragments());
        assertTrue(w.deduplicate());
        assertTrue(w.exportTable());
        assertTrue(w.xattrs());
        assertEquals(OptionalLong.empty(), w.mkfsTime());
        assertEquals(Runtime.getRuntime().availableProcessors(), w.processors());
    }

    @Test
    void severalSourcesAndTheNoSourceDash() throws IOException {
        assertEquals(List.of(Path.of("a"), Path.of("b/c")), request("a", "b/c", "out").sources());
        assertEquals(List.of(), request("-", "out", "-p", "/ d 755 0 0").sources());
        assertTrue(usageError("a", "-", "out").contains("'-' (no sources) must be the only source"));
        assertEquals("missing OUTPUT after the sources", usageError("src"));
        assertEquals("missing SOURCE and OUTPUT", usageError("-noappend"));
    }

    @Test
    void openWrtCommandLineParses() throws IOException {
        // include/image.mk: mksquashfs4 ... -nopad -noappend -root-owned -comp $(SQUASHFSCOMP) $(SQUASHFSOPT) ...
        SquashfsImageRequest r = request("src", "out", "-nopad", "-noappend", "-root-owned", "-comp", "xz",
                "-Xpreset", "9", "-Xe", "-Xlc", "0", "-Xlp", "2", "-Xpb", "2", "-Xbcj", "arm", "-b", "256k",
                "-p", "/dev d 755 0 0", "-p", "/dev/console c 600 0 0 5 1", "-no-xattrs", "-processors", "2",
                "-fixed-time", "1700000000");
        assertEquals(List.of("-Xpreset", "9", "-Xe", "-Xlc", "0", "-Xlp", "2", "-Xpb", "2", "-Xbcj", "arm"),
                r.compressorOptions(), "-Xe takes no argument");
        assertEquals(262144, r.blockSize());
        assertEquals(2, r.pseudo().size());
        assertEquals(OptionalLong.of(1700000000), r.mkfsTime(), "-fixed-time sets the image's time");
        assertEquals(OptionalLong.of(1700000000), r.overrides().allTime(), "and every inode's");
    }

    @Test
    void compressorAndItsXOptionsInOrder() throws IOException {
        SquashfsImageRequest r = request("src", "out", "-comp", "xz", "-Xbcj", "x86,arm", "-b", "256K",
                "-Xdict-size", "100%");
        assertEquals(CompressorId.XZ, r.compressor());
        assertEquals(List.of("-Xbcj", "x86,arm", "-Xdict-size", "100%"), r.compressorOptions());
        SquashfsImageRequest lz4 = request("src", "out", "-comp", "lz4", "-Xhc", "-noappend");
        assertEquals(List.of("-Xhc"), lz4.compressorOptions());
        assertTrue(lz4.overwrite(), "-Xhc takes no argument, so -noappend is still an option");
        assertEquals(List.of("-Xcompression-level", "19"),
                request("src", "out", "-Xcompression-level", "19", "-comp", "zstd").compressorOptions());
        assertTrue(usageError("src", "out", "-comp", "brotli").startsWith("-comp: unknown compressor 'brotli'"));
        assertEquals(List.of("-Xcompression-level", "6"), request("src", "out", "-Xcompression-level", "6")
                .compressorOptions(), "without -comp, -X options go to gzip as in mksquashfs");
        assertTrue(usageError("src", "out", "-Xbcj", "x86").endsWith("(the default compressor is gzip; did you forget"
                + " -comp?)"), usageError("src", "out", "-Xbcj", "x86"));
        assertEquals("compressor option -Xbcj needs a value", usageError("src", "out", "-comp", "xz", "-Xbcj"));
    }

    @Test
    void blockSizeInBytesOrWithSuffix() throws IOException {
        assertEquals(262144, writerOptions(request("s", "o", "-b", "256k")).blockSize());
        assertEquals(1 << 20, writerOptions(request("s", "o", "-b", "1M")).blockSize());
        assertEquals(4096, writerOptions(request("s", "o", "-b", "4096")).blockSize());
        assertEquals(65536, writerOptions(request("s", "o", "-b", "64Kbytes")).blockSize());
        for (String bad : List.of("100K", "2M", "2K", "1X", "", "-1")) {
            String message = usageError("s", "o", "-b", bad);
            assertTrue(message.startsWith("-b " + bad + ": block size must be a power of two from 4K to 1M"), message);
        }
    }

    @Test
    void layoutSwitches() throws IOException {
        WriterOptions w = writerOptions(request("s", "o", "-noappend", "-nopad", "-no-duplicates", "-no-exports",
                "-no-xattrs", "-processors", "3"));
        assertFalse(w.pad());
        assertFalse(w.deduplicate());
        assertFalse(w.exportTable());
        assertFalse(w.xattrs());
        assertEquals(3, w.processors());
        assertTrue(request("s", "o", "-noappend").overwrite());
        assertTrue(writerOptions(request("s", "o", "-no-exports", "-exports")).exportTable(), "the last one wins");
        assertTrue(writerOptions(request("s", "o", "-no-xattrs", "-xattrs")).xattrs());
        assertFalse(request("s", "o", "-no-xattrs").xattrs());
        assertEquals("-processors 0: must be at least 1", usageError("s", "o", "-processors", "0"));
    }

    @Test
    void fragmentPolicies() throws IOException {
        assertEquals(FragmentPolicy.NONE, request("s", "o", "-no-fragments").fragments());
        assertEquals(FragmentPolicy.TAIL_ENDS, request("s", "o", "-always-use-fragments").fragments());
        assertEquals(FragmentPolicy.TAIL_ENDS, request("s", "o", "-tailends").fragments());
        assertEquals(FragmentPolicy.SMALL_FILES, request("s", "o", "-tailends", "-no-tailends").fragments());
        assertEquals(FragmentPolicy.NONE, request("s", "o", "-tailends", "-no-fragments").fragments());
        assertEquals(FragmentPolicy.NONE, writerOptions(request("s", "o", "-no-fragments")).fragments());
    }

    @Test
    void ownersInCommandLineOrder() throws IOException {
        assertEquals(owners(0, 0), request("s", "o", "-all-root").overrides());
        assertEquals(owners(0, 0), request("s", "o", "-root-owned").overrides());
        assertEquals(owners(1000, 100), request("s", "o", "-force-uid", "builder", "-force-gid", "users").overrides());
        assertEquals(owners(5, 0), request("s", "o", "-all-root", "-force-uid", "5").overrides());
        assertEquals(owners(0, 0), request("s", "o", "-force-uid", "5", "-all-root").overrides());
        assertEquals(owners(-1, 7), request("s", "o", "-force-gid", "7").overrides());
        assertTrue(usageError("s", "o", "-force-uid", "nobody-at-all").startsWith("-force-uid: unknown user"));
        assertTrue(usageError("s", "o", "-force-gid", "4294967296").startsWith("-force-gid: group id 4294967296 out of range"));
    }

    private static MetadataOverrides owners(int uid, int gid) {
        return new MetadataOverrides(uid < 0 ? OptionalInt.empty() : OptionalInt.of(uid), OptionalInt.of(gid),
                OptionalLong.empty(), OptionalLong.empty());
    }

    @Test
    void timesFromOptions() throws IOException {
        assertEquals(OptionalLong.of(1234), writerOptions(request("s", "o", "-mkfs-time", "1234")).mkfsTime());
        assertEquals(OptionalLong.of(1234), request("s", "o", "-fstime", "1234").mkfsTime());
        assertEquals(OptionalLong.of(99), request("s", "o", "-all-time", "99").overrides().allTime());
        assertEquals(OptionalLong.of(99), request("s", "o", "-inode-time", "99").overrides().allTime());
        assertEquals(OptionalLong.of(1704067200), request("s", "o", "-all-time", "2024-01-01").overrides().allTime());
        assertEquals(OptionalLong.empty(), request("s", "o", "-all-time", "99").mkfsTime(),
                "-all-time does not set the image time");
        assertTrue(usageError("s", "o", "-mkfs-time", "4294967296").startsWith("-mkfs-time: 4294967296 is after"));
    }

    @Test
    void sourceDateEpochSetsImageTimeAndClampsInodes() throws IOException {
        SquashfsImageRequest r = request(Map.of("SOURCE_DATE_EPOCH", "1700000000"), "", "s", "o");
        assertEquals(OptionalLong.of(1700000000), writerOptions(r).mkfsTime());
        assertEquals(OptionalLong.of(1700000000), r.overrides().clampTime());
        assertEquals(OptionalLong.empty(), r.overrides().allTime());
        var both = assertThrows(IllegalArgumentException.class,
                () -> request(Map.of("SOURCE_DATE_EPOCH", "1"), "", "s", "o", "-all-time", "5"));
        assertTrue(both.getMessage().startsWith("SOURCE_DATE_EPOCH and -mkfs-time/-all-time cannot be used together"));
        var bad = assertThrows(IllegalArgumentException.class,
                () -> request(Map.of("SOURCE_DATE_EPOCH", "yesterday"), "", "s", "o"));
        assertEquals("SOURCE_DATE_EPOCH: 'yesterday' is not a number of seconds since the epoch", bad.getMessage());
    }

    @Test
    void excludesTakeTheRestOfTheLine(@TempDir Path dir) throws IOException {
        Path ef = Files.writeString(dir.resolve("ex"), "# comment\nproc\n  sys\n");
        SquashfsImageRequest r = request("s", "o", "-ef", ef.toString(), "-e", "tmp", "-noappend", "*.o");
        assertEquals(List.of("proc", "sys", "tmp", "-noappend", "*.o"), r.excludes());
        assertFalse(r.overwrite(), "-noappend after -e is an exclude, as in mksquashfs");
        assertEquals(ExcludeStyle.WILDCARDS, request("s", "o", "-wildcards", "-e", "x").excludeStyle());
        assertEquals(ExcludeStyle.REGEX, request("s", "o", "-regex", "-e", "x").excludeStyle());
        assertEquals("-wildcards and -regex cannot be used together", usageError("s", "o", "-wildcards", "-regex"));
    }

    @Test
    void pseudoDefinitionsKeepCommandLineOrder(@TempDir Path dir) throws IOException {
        Path pf = Files.writeString(dir.resolve("p"), "/dev/null c 666 0 0 1 3\n");
        SquashfsImageRequest r = request(Map.of(), "/dev/zero c 666 0 0 1 5\n", "s", "o", "-p", "/dev d 755 0 0",
                "-pf", pf.toString(), "-p", "/dev/tty c 666 0 0 5 0", "-pf", "-");
        assertEquals(List.of("dev", "dev/null", "dev/tty", "dev/zero"),
                r.pseudo().stream().map(PseudoDefinition::path).toList());
        assertInstanceOf(PseudoDefinition.Directory.class, r.pseudo().get(0));
        assertEquals(dir.resolve("p") + ":1", r.pseudo().get(1).location().toString());
        assertEquals("<stdin>:1", r.pseudo().get(3).location().toString());
    }

    @Test
    void reportingAndCompatibilitySwitchesParse() throws IOException {
        CreateCommand c = parse(CliRun.context(Map.of(), ""), "s", "o", "-quiet", "-info", "-progress", "-no-progress",
                "-reproducible", "-not-reproducible", "-no-recovery", "-exit-on-error", "-keep-as-directory");
        assertTrue(c.quiet);
        assertTrue(c.info);
        assertTrue(c.request(CliRun.context(Map.of(), "")).keepAsDirectory());
    }

    @Test
    void noSparseAndNoHardlinksReachTheWriterAndResourceLimitsAreAccepted() throws IOException {
        CliContext context = CliRun.context(Map.of(), "");
        WriterOptions defaults = parse(context, "s", "o").request(context).writerOptions(new NamedCompressor());
        assertTrue(defaults.sparse() && defaults.hardLinks());
        CreateCommand c = parse(context, "s", "o", "-no-sparse", "-mem", "512M", "-no-hardlinks", "-throttle", "10",
                "-limit", "90", "-mem-percent", "25", "-percentage");
        assertEquals(List.of("s", "o"), c.positional, "the limits' values are not sources");
        WriterOptions options = c.request(context).writerOptions(new NamedCompressor());
        assertFalse(options.sparse());
        assertFalse(options.hardLinks());
    }

    @Test
    void versionPrintsStrataVersionAsMksquashfsVersionPrintsItsOwn() {
        for (String option : List.of("-version", "--version")) {
            CliRun r = CliRun.run("squashfs", "create", option);
            assertEquals(0, r.status, r.toString());
            assertTrue(r.out.matches("strata \\S+\\R"), r.out);
        }
    }

    @Test
    void aMemoryPercentageThatIsNotOneIsAUsageError() {
        for (String bad : List.of("0", "x", "-5")) {
            CliRun r = CliRun.run("squashfs", "create", "src", "out", "-mem-percent", bad);
            assertEquals(2, r.status, r.toString());
            assertTrue(r.err.startsWith("strata: error: -mem-percent '" + bad + "': expected a percentage, 1 to 75"),
                    r.err);
        }
    }

    @Test
    void offsetTakesMksquashfsSizesAndABadOneIsAUsageError() throws IOException {
        CliContext context = CliRun.context(Map.of(), "");
        assertEquals(4096, parse(context, "s", "o", "-offset", "4K").request(context)
                .writerOptions(new NamedCompressor()).fileOffset());
        assertEquals(1 << 20, parse(context, "s", "o", "-o", "1M").request(context)
                .writerOptions(new NamedCompressor()).fileOffset());
        CliRun bad = CliRun.run("squashfs", "create", "src", "out", "-offset", "lots");
        assertEquals(2, bad.status, bad.toString());
        assertTrue(bad.err.startsWith("strata: error: -offset: 'lots' is not a size"), bad.err);
    }

    @Test
    void readerThreadOptionsOfMksquashfs46ParseAndAreChecked() throws IOException {
        CreateCommand c = parse(CliRun.context(Map.of(), ""), "s", "o", "-block-readers", "4", "-small-readers", "2",
                "-single-reader");
        assertEquals(List.of("s", "o"), c.positional, "the readers' counts are not sources");
        CliRun zero = CliRun.run("squashfs", "create", "src", "out", "-block-readers", "0");
        assertEquals(2, zero.status);
        assertTrue(zero.err.startsWith("strata: error: -small-readers/-block-readers 0: must be at least 1"), zero.err);
    }

    @Test
    void unknownAndUnsupportedOptionsAreUsageErrors() {
        CliRun unknown = CliRun.run("squashfs", "create", "src", "out", "-bogus");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.startsWith("strata: error: unknown option -bogus\n"), unknown.err);
        assertTrue(unknown.err.contains("Try 'strata squashfs create --help'"), unknown.err);
        CliRun action = CliRun.run("squashfs", "create", "src", "out", "-action", "chmod(700)@name(secret)");
        assertEquals(2, action.status);
        assertTrue(action.err.startsWith("strata: error: mksquashfs option -action is not supported by strata"
                + " squashfs create"), action.err);
        CliRun missingValue = CliRun.run("squashfs", "create", "src", "out", "-pf");
        assertEquals(2, missingValue.status);
        assertTrue(missingValue.err.startsWith("strata: error: -pf needs a pseudo file"), missingValue.err);
    }

    /** Stands in for a real compressor where only the settings matter. */
    private static final class NamedCompressor implements Compressor {
        @Override
        public CompressorId id() {
            return CompressorId.GZIP;
        }

        @Override
        public Optional<byte[]> optionsBlock() {
            return Optional.empty();
        }

        @Override
        public byte[] compress(byte[] src, int off, int len) {
            return null;
        }

        @Override
        public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String describe() {
            return "test";
        }
    }
}
