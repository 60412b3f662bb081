package dev.strata.cli.squashfs;

import dev.strata.cli.Json;
import dev.strata.squashfs.format.Superblock;
import dev.strata.squashfs.read.ImageLayout;
import dev.strata.squashfs.read.ImageSummary;
import dev.strata.squashfs.read.SquashfsImage;
import dev.strata.squashfs.tree.NodeType;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** strata squashfs info: the superblock, compressor, tables and what the image holds. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = dev.strata.cli.VersionProvider.class,
        description = {"Describes the image: superblock, compressor, tables, what it holds, the largest files.",
            "That is: the compressor's options, table sizes, counts of each kind of inode, hard links, sparse"
                    + " files, fragment use and duplicates."})
public final class InfoCommand implements Callable<Integer> {
    private static final String[] FLAG_NAMES = {"uncompressed-inodes", "uncompressed-data", "check",
        "uncompressed-fragments", "no-fragments", "always-fragments", "duplicates", "exportable",
        "uncompressed-xattrs", "no-xattrs", "compressor-options", "uncompressed-ids"};

    @Mixin
    ImageArgument image;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Option(names = "--largest", paramLabel = "N", defaultValue = "10", description = "How many of the largest files.")
    int largest;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> info = new LinkedHashMap<>();
        try (SquashfsImage img = image.open()) {
            Superblock sb = img.superblock();
            ImageLayout layout = img.layout();
            ImageSummary summary = ImageSummary.of(img, largest);
            info.put("offset", img.offset());
            info.put("version", sb.versionMajor() + "." + sb.versionMinor());
            info.put("bytes_used", sb.bytesUsed());
            info.put("block_size", sb.blockSize());
            info.put("compressor", img.compressorId().mksquashfsName());
            info.put("compressor_settings", img.compressor().describe());
            info.put("compressor_options_block", img.compressorOptions().map(b -> HexFormat.of().formatHex(b))
                    .orElse(null));
            info.put("mkfs_time", Instant.ofEpochSecond(sb.modificationTime()).toString());
            info.put("flags", flags(sb.flags()));
            info.put("inodes", sb.inodeCount());
            info.put("ids", sb.idCount());
            info.put("fragment_blocks", sb.fragmentEntryCount());
            info.put("xattr_sets", img.xattrSetCount());
            info.put("export_table", img.hasExportTable());
            info.put("data_bytes", layout.dataBytes());
            info.put("inode_table_bytes", layout.inodeTableBytes());
            info.put("directory_table_bytes", layout.directoryTableBytes());
            info.put("fragment_table_bytes", layout.fragmentTableBytes());
            info.put("export_table_bytes", layout.exportTableBytes());
            info.put("id_table_bytes", layout.idTableBytes());
            info.put("xattr_table_bytes", layout.xattrTableBytes());
            Map<NodeType, String> kinds = Map.of(NodeType.DIRECTORY, "directories", NodeType.FILE, "files",
                    NodeType.SYMLINK, "symlinks", NodeType.BLOCK_DEVICE, "block_devices", NodeType.CHAR_DEVICE,
                    "char_devices", NodeType.FIFO, "fifos", NodeType.SOCKET, "sockets");
            for (NodeType t : NodeType.values()) {
                info.put(kinds.get(t), summary.inodesByType().getOrDefault(t, 0L));
            }
            info.put("names", summary.names());
            info.put("hard_linked_inodes", summary.hardLinkedInodes());
            info.put("file_bytes", summary.fileBytes());
            info.put("sparse_files", summary.sparseFiles());
            info.put("sparse_bytes", summary.sparseBytes());
            info.put("files_with_fragment_tails", summary.fragmentTails());
            info.put("duplicate_files", summary.duplicateFiles());
            info.put("inodes_with_xattrs", summary.xattrInodes());
            List<Object> top = new ArrayList<>();
            for (ImageSummary.LargeFile f : summary.largest()) {
                top.add(f.size() + " " + f.path());
            }
            info.put("largest_files", top);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.object(info));
        } else {
            for (Map.Entry<String, Object> e : info.entrySet()) {
                Object v = e.getValue();
                if (v instanceof List<?> list) {
                    out.println(e.getKey().replace('_', ' ') + ":");
                    list.forEach(x -> out.println("  " + x));
                } else {
                    out.println(e.getKey().replace('_', ' ') + ": " + (v == null ? "none" : v));
                }
            }
        }
        out.flush();
        return 0;
    }

    private static List<Object> flags(int flags) {
        List<Object> names = new ArrayList<>();
        for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                names.add(FLAG_NAMES[bit]);
            }
        }
        int unknown = flags & ~((1 << FLAG_NAMES.length) - 1);
        if (unknown != 0) {
            names.add("0x" + Integer.toHexString(unknown));
        }
        return names;
    }
}
