package dev.strata.cli;

import dev.strata.image.reset.OfflineReset;
import dev.strata.image.reset.ResetPlan;
import dev.strata.spec.ByteSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;

/** strata reset IMAGE: factory reset of a flashable image or SD card, without booting it. */
@Command(name = "reset", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Puts the overlay of a flashable image or SD card back to factory state.",
            "IMAGE is an .img file or a block device such as an SD card. The data volume after the squashfs or"
                    + " on its own partition gets the 0xdeadc0de marker, so the next boot formats it. Kernel, boot and"
                    + " squashfs partitions are never written. With --keep or --soft the data is left alone, and a"
                    + " reset flag file on the boot partition asks the device to reset at its next boot, keeping the"
                    + " image's keep list and those paths. Images it does not recognise are refused."})
public final class ResetCommand implements Callable<Integer> {
    @ParentCommand
    StrataCli strata;

    @picocli.CommandLine.Spec
    CommandSpec command;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file or block device.")
    Path target;

    @Option(names = "--keep", paramLabel = "PATH",
            description = "Keep PATH (absolute, repeatable): a soft reset the device carries out at its next boot.")
    List<String> keep = new ArrayList<>();

    @Option(names = "--soft", description = "A soft reset keeping only the image's configured keep list (as --keep"
            + " does with more paths).")
    boolean soft;

    @Option(names = {"-n", "--dry-run"}, description = "Say what would be written; write nothing.")
    boolean dryRun;

    @Option(names = "--erase-block", paramLabel = "SIZE",
            description = "Erase block of a raw flash image (default 64K).")
    String eraseBlock = "64K";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        long eb;
        try {
            eb = ByteSize.parse(eraseBlock);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--erase-block: " + e.getMessage());
        }
        if (eb < 4096 || Long.bitCount(eb) != 1) {
            throw new ParameterException(command.commandLine(), "--erase-block " + eraseBlock
                    + " is not a power of two of at least 4K");
        }
        if (!Files.exists(target)) {
            throw new java.nio.file.NoSuchFileException(target.toString());
        }
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a directory; give an image file or a block device");
        }
        refuseMounted(target);
        ResetPlan plan = OfflineReset.inspect(target, keep, soft, eb);
        out.println(target + ": " + plan.layout());
        if (plan.action() instanceof ResetPlan.Nothing) {
            out.println("  nothing to reset: " + plan.action().effect());
            out.flush();
            return 0;
        }
        if (dryRun) {
            out.println("  would write " + plan.action().target() + ": " + plan.action().effect());
            out.println("  dry run: nothing was written");
            out.flush();
            return 0;
        }
        OfflineReset.apply(target, plan, strata.context().clock().instant().getEpochSecond());
        out.println("  wrote " + plan.action().target() + ": " + plan.action().effect());
        if (!plan.untouched().isEmpty()) {
            out.println("  untouched: " + String.join(", ", plan.untouched()));
        }
        out.flush();
        return 0;
    }

    /** A mounted card would be changed under the running system's feet. */
    private static void refuseMounted(Path target) throws IOException {
        Path mounts = Path.of("/proc/mounts");
        if (!Files.isReadable(mounts) || Files.isRegularFile(target)) {
            return;
        }
        String dev = target.toRealPath().toString();
        for (String line : Files.readAllLines(mounts)) {
            String source = line.split(" ", 2)[0];
            if (source.equals(dev) || source.startsWith(dev) && source.substring(dev.length()).matches("p?\\d+")) {
                throw new IOException(target + " is mounted (" + source + " on " + line.split(" ")[1]
                        + "); unmount it first");
            }
        }
    }
}
