package dev.strata.cli.squashfs;

import dev.strata.cli.Counted;
import dev.strata.cli.OneLine;
import dev.strata.squashfs.read.ImageExtractor;
import dev.strata.squashfs.read.SquashfsImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** strata squashfs extract: the image (or some paths) into a new directory, as unsquashfs -d does. */
@Command(name = "extract", mixinStandardHelpOptions = true, versionProvider = dev.strata.cli.VersionProvider.class,
        description = {"Extracts the image, or the PATHs in it, into DEST (new, or an empty directory).",
            "Contents, modes, times, symbolic and hard links, sparse files, fifos and sockets; as root also owners,"
                    + " device nodes and trusted.* and security.* xattrs (user.* where the file system takes them)."
                    + " Whatever this host could not make is listed on standard error. Nothing is written outside DEST."})
public final class ExtractCommand implements Callable<Integer> {
    @Mixin
    ImageArgument image;

    @Parameters(index = "1", paramLabel = "DEST", description = "The directory to extract into.")
    Path dest;

    @Parameters(index = "2..*", arity = "0..*", paramLabel = "PATH", description = "Only these paths (and below).")
    List<String> paths;

    @Option(names = "--threads", paramLabel = "N", description = "Files decompressed at once (default: processors).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageExtractor.Options defaults = ImageExtractor.Options.forThisProcess();
        ImageExtractor.Options options = new ImageExtractor.Options(defaults.asRoot(),
                threads == null ? defaults.threads() : threads);
        ImageExtractor.Report report;
        try (SquashfsImage img = image.open()) {
            report = new ImageExtractor(img, options).extract(dest, paths == null ? List.of() : paths);
        }
        for (String s : report.skipped()) {
            err.println("strata: note: " + OneLine.of(s));
        }
        out.println("extracted " + Counted.of(report.entries(), "entry", "entries") + ", "
                + Counted.of(report.bytes(), "byte", "bytes") + " of files, to " + dest
                + (report.skipped().isEmpty() ? "" : "; " + Counted.of(report.skipped().size(), "thing", "things")
                        + " not made (see above)"
                        + (options.asRoot() ? "" : ": run as root for owners, device nodes and trusted.*/security.*"
                                + " xattrs")));
        out.flush();
        err.flush();
        return 0;
    }
}
