package dev.strata.cli.squashfs;

import dev.strata.cli.Json;
import dev.strata.squashfs.read.ImageInode;
import dev.strata.squashfs.read.LongListing;
import dev.strata.squashfs.read.SquashfsImage;
import dev.strata.squashfs.tree.Name;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** strata squashfs ls: every path of an image (or below PATH), as unsquashfs -ls / -lln list them. */
@Command(name = "ls", mixinStandardHelpOptions = true, versionProvider = dev.strata.cli.VersionProvider.class,
        description = {"Lists every path in the image, or below PATH, depth first in name order.",
            "-l adds unsquashfs -lln's columns: mode, uid/gid, size (major,minor for devices), time (UTC),"
                    + " and ' -> target' for symlinks. Owners are numbers: an image's owners are not this host's users.",
            "Names that are not UTF-8 show their other bytes as \\xNN."})
public final class LsCommand implements Callable<Integer> {
    @Mixin
    ImageArgument image;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "Only this path and what is below it.")
    String path;

    @Option(names = {"-l", "--long"}, description = "Long listing (unsquashfs -lln columns).")
    boolean longListing;

    @Option(names = "--json", description = "One JSON object per entry and line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (SquashfsImage img = image.open()) {
            SquashfsImage.Visitor print = (names, inode) -> out.print(line(img, names, inode));
            if (path == null) {
                img.walk(print);
            } else {
                img.walk(path, print);
            }
        }
        out.flush();
        return 0;
    }

    private String line(SquashfsImage img, List<Name> names, ImageInode inode) throws IOException {
        String p = SquashfsImage.display(names);
        if (json) {
            return Json.object(jsonEntry(img, p, inode)) + "\n";
        }
        if (!longListing) {
            return p + "\n";
        }
        byte[] line = LongListing.line(inode, p.getBytes(StandardCharsets.UTF_8), LongListing.number(inode.uid()),
                LongListing.number(inode.gid()), ZoneOffset.UTC);
        return new String(line, StandardCharsets.UTF_8);
    }

    static Map<String, Object> jsonEntry(SquashfsImage img, String path, ImageInode inode) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("type", inode.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        m.put("mode", String.format("%04o", inode.permissions()));
        m.put("uid", inode.uid());
        m.put("gid", inode.gid());
        m.put("size", inode.size());
        m.put("mtime", inode.mtime());
        m.put("inode", inode.number());
        m.put("nlink", inode.nlink());
        switch (inode.type()) {
            case SYMLINK -> m.put("target", Name.display(img.readlink(inode)));
            case BLOCK_DEVICE, CHAR_DEVICE -> {
                m.put("major", inode.major());
                m.put("minor", inode.minor());
            }
            default -> {
            }
        }
        if (inode.hasXattrs()) {
            m.put("xattrs", List.copyOf(img.xattrs(inode).keySet()));
        }
        return m;
    }
}
