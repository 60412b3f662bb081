package dev.strata.cli;

import dev.strata.build.BuildListener;
import dev.strata.build.BuildRequest;
import dev.strata.build.BuildResult;
import dev.strata.build.FirmwareBuilder;
import dev.strata.spec.Spec;
import dev.strata.spec.SpecException;
import dev.strata.spec.SpecParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec.Target;

/** strata build SPEC [-o DIR]: a firmware root from a spec file. */
@Command(name = "build", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Builds a firmware root from a spec file.",
                "Writes DIR/rootfs.squashfs, DIR/manifest.json and a size report, and with a device profile its"
                        + " flashable images. See docs/spec.md for the spec format."})
public final class BuildCommand implements Callable<Integer> {
    @ParentCommand
    StrataCli strata;

    @picocli.CommandLine.Spec(Target.SELF)
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The spec file (YAML).")
    Path specFile;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Output directory (default: the spec's 'output', else out/NAME).")
    Path output;

    @Option(names = "--processors", paramLabel = "N", description = "Compression threads (default: all).")
    Integer processors;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors and warnings.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        CliContext context = strata.context();
        TerminalProgress progress = new TerminalProgress(err, !quiet && System.console() != null);
        try {
            Spec spec = SpecParser.parse(specFile);
            int threads = processors == null ? Runtime.getRuntime().availableProcessors() : processors;
            if (threads < 1) {
                err.println("strata: error: --processors must be at least 1");
                return 2;
            }
            BuildRequest request = new BuildRequest(spec, Optional.ofNullable(output), context.environment(),
                    context.clock(), threads);
            BuildResult result = new FirmwareBuilder(progress).build(request);
            progress.clear();
            if (!quiet) {
                for (String line : result.report().lines()) {
                    out.println(line);
                }
                Path cwd = Path.of("").toAbsolutePath();
                out.println("wrote " + shown(cwd, result.image())
                        + result.initramfs().map(i -> ", " + shown(cwd, i)).orElse("")
                        + " and " + shown(cwd, result.manifest()));
                for (String line : result.deviceReport()) {
                    out.println(line);
                }
            }
            return 0;
        } catch (SpecException e) {
            progress.clear();
            err.println("strata: error: " + e.getMessage());
            return 1;
        } finally {
            progress.clear();
            out.flush();
            err.flush();
        }
    }

    private static String shown(Path cwd, Path p) {
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    /** One self-overwriting status line on a terminal, shown once the build has taken more than a second. */
    static final class TerminalProgress implements BuildListener {
        private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
        private static final long REDRAW_NANOS = 100_000_000L;

        private final PrintWriter err;
        private final boolean enabled;
        private final long start = System.nanoTime();
        private long lastDraw;
        private String step = "";
        private boolean drawn;

        TerminalProgress(PrintWriter err, boolean enabled) {
            this.err = err;
            this.enabled = enabled;
        }

        @Override
        public synchronized void step(int index, int count, String description) {
            step = "[" + index + "/" + count + "] " + description;
            draw(step, true);
        }

        @Override
        public synchronized void writing(long done, long total) {
            int percent = total == 0 ? 100 : (int) (100 * done / total);
            draw(step + " " + percent + "%", false);
        }

        @Override
        public synchronized void warning(String line) {
            clear();
            err.println("strata: warning: " + OneLine.of(line));
            err.flush();
        }

        private void draw(String text, boolean force) {
            long now = System.nanoTime();
            if (!enabled || now - start < SHOW_AFTER_NANOS || (!force && now - lastDraw < REDRAW_NANOS)) {
                return;
            }
            lastDraw = now;
            String shown = text.length() > 78 ? text.substring(0, 75) + "..." : text;
            err.print("\r\033[K" + shown);
            err.flush();
            drawn = true;
        }

        synchronized void clear() {
            if (drawn) {
                err.print("\r\033[K");
                err.flush();
                drawn = false;
            }
        }
    }
}
