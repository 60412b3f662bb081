package dev.strata.cli;

import dev.strata.profile.Profile;
import dev.strata.profile.Profiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/** strata profiles [NAME]: the device profiles, or one profile's inputs, options and outputs. */
@Command(name = "profiles", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Lists the device profiles a spec can name (profile: NAME), or shows one.",
            "One profile shows the image inputs it needs (kernel, DTBs, firmware), its options and defaults, and"
                    + " the files it writes. NAME may also be a profile file (./board.yaml), to check it."})
public final class ProfilesCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandSpec command;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A profile name or file.")
    String name;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        if (name == null) {
            Map<String, Profile> all = Profiles.builtin();
            int width = all.keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Profile p : all.values()) {
                out.println(String.format("%-" + width + "s  %s", p.name(), p.description()));
            }
            out.flush();
            return 0;
        }
        Profile p = Profiles.find(name, Path.of("").toAbsolutePath());
        out.println(p.name() + ": " + p.description());
        if (!p.basedOn().isEmpty()) {
            out.println("based on " + p.basedOn());
        }
        out.println("image inputs (spec: image: {NAME: PATH}):");
        for (Profile.InputDecl in : p.inputs().values()) {
            out.println(String.format("  %-16s %-9s %-9s %s", in.name(), in.directory() ? "directory" : "file",
                    in.required() ? "required" : "optional", in.help()));
        }
        out.println("image options:");
        for (Profile.OptionDecl o : p.options().values()) {
            String dflt = o.defaultValue().map(d -> "default " + (d.isEmpty() ? "\"\"" : d)).orElse("default derived");
            out.println(String.format("  %-16s %-20s %s", o.name(), dflt, o.help()));
        }
        out.println("writes:");
        for (Profile.OutputDecl o : p.outputs()) {
            String kind = o instanceof Profile.DiskOutput d ? "disk image" + (d.gzip() ? " (+ .gz)" : "")
                    : o instanceof Profile.NorFirmwareOutput ? "NOR firmware" : "sysupgrade archive";
            out.println("  " + o.file() + "  " + kind);
            if (o instanceof Profile.DiskOutput d) {
                for (Profile.PartitionDecl part : d.partitions()) {
                    String content = part.content() instanceof Profile.FatDecl ? "FAT"
                            : part.content() instanceof Profile.RootfsDecl ? "squashfs root, overlay after it"
                            : "data, formatted at first boot";
                    out.println(String.format("    p%d %-8s %-14s %s", part.number(), part.name(), part.size(), content));
                }
            }
        }
        if (p.texts().containsKey("cmdline")) {
            out.println("kernel command line: " + p.texts().get("cmdline").strip());
        }
        out.flush();
        return 0;
    }
}
