package dev.strata.sources.devtable;

import dev.strata.squashfs.tree.NodeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Linux's gen_init_cpio file lists and squashfs-tools-ng's gensquashfs pack files. Both use the
 * verbs dir, file, nod, slink, pipe and sock, but order some fields differently:
 * <pre>
 * gen_init_cpio: file NAME LOCATION MODE UID GID [HARDLINK...]   slink NAME TARGET MODE UID GID
 * gensquashfs:   file PATH MODE UID GID [LOCATION]               slink PATH MODE UID GID TARGET
 *                link PATH - - - TARGET   (a hard link)
 * both:          dir PATH MODE UID GID   nod PATH MODE UID GID c|b MAJOR MINOR   pipe|sock PATH MODE UID GID
 * </pre>
 * gen_init_cpio expands ${VAR} in locations from the environment; gensquashfs allows "quoted"
 * paths with backslash escapes. Host locations are relative to the base directory.
 */
public final class PackFile {
    /** Which of the two dialects. */
    public enum Dialect { GEN_INIT_CPIO, GENSQUASHFS }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Dialect dialect;
    private final Path base;
    private final Map<String, String> environment;

    public PackFile(Dialect dialect, Path base, Map<String, String> environment) {
        this.dialect = dialect;
        this.base = base;
        this.environment = environment;
    }

    public List<TableEntry> parse(List<TableLine> lines) throws TableException {
        List<TableEntry> out = new ArrayList<>();
        for (TableLine line : lines) {
            String text = line.text().strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String at = line.location();
            List<String> f = tokens(text, at);
            String verb = f.get(0);
            switch (verb) {
                case "dir" -> {
                    need(f, 5, 5, at, "dir PATH MODE UID GID");
                    out.add(new TableEntry.Directory(path(f.get(1), at), mode(f.get(2), at), owner(f, 3), at));
                }
                case "pipe", "sock" -> {
                    need(f, 5, 5, at, verb + " PATH MODE UID GID");
                    out.add(new TableEntry.Ipc(path(f.get(1), at), verb.equals("pipe") ? NodeType.FIFO : NodeType.SOCKET,
                            mode(f.get(2), at), owner(f, 3), at));
                }
                case "nod" -> {
                    need(f, 8, 8, at, "nod PATH MODE UID GID c|b MAJOR MINOR");
                    NodeType type = switch (f.get(5)) {
                        case "c" -> NodeType.CHAR_DEVICE;
                        case "b" -> NodeType.BLOCK_DEVICE;
                        default -> throw new TableException(at, "device type '" + f.get(5) + "' is not c or b");
                    };
                    out.add(new TableEntry.Device(path(f.get(1), at), type,
                            TablePaths.number(f.get(6), at, "major", 0xFFF),
                            TablePaths.number(f.get(7), at, "minor", 0xFFFFF), mode(f.get(2), at), owner(f, 3), at));
                }
                case "slink" -> {
                    need(f, 6, 6, at, dialect == Dialect.GEN_INIT_CPIO ? "slink NAME TARGET MODE UID GID"
                            : "slink PATH MODE UID GID TARGET");
                    if (dialect == Dialect.GEN_INIT_CPIO) {
                        out.add(new TableEntry.Symlink(path(f.get(1), at), f.get(2), owner(f, 4), at));
                    } else {
                        out.add(new TableEntry.Symlink(path(f.get(1), at), f.get(5), owner(f, 3), at));
                    }
                }
                case "link" -> {
                    if (dialect == Dialect.GEN_INIT_CPIO) {
                        throw new TableException(at, "'link' is a gensquashfs verb; gen_init_cpio makes hard links"
                                + " with extra names on a 'file' line");
                    }
                    need(f, 6, 6, at, "link PATH - - - TARGET");
                    out.add(new TableEntry.HardLink(path(f.get(1), at), path(f.get(5), at), at));
                }
                case "file" -> {
                    if (dialect == Dialect.GEN_INIT_CPIO) {
                        need(f, 6, Integer.MAX_VALUE, at, "file NAME LOCATION MODE UID GID [HARDLINK...]");
                        String path = path(f.get(1), at);
                        out.add(new TableEntry.File(path, host(expand(f.get(2), at), at), mode(f.get(3), at),
                                owner(f, 4), at));
                        for (int i = 6; i < f.size(); i++) {
                            out.add(new TableEntry.HardLink(path(f.get(i), at), path, at));
                        }
                    } else {
                        need(f, 5, 6, at, "file PATH MODE UID GID [LOCATION]");
                        String path = path(f.get(1), at);
                        String location = f.size() == 6 ? f.get(5) : path.substring(1);
                        out.add(new TableEntry.File(path, host(location, at), mode(f.get(2), at), owner(f, 3), at));
                    }
                }
                case "glob" -> throw new TableException(at, "'glob' lines are not supported; add the directory as a"
                        + " 'dir:' source instead");
                default -> throw new TableException(at, "unknown verb '" + verb + "' (dir, file, nod, slink, pipe,"
                        + " sock" + (dialect == Dialect.GENSQUASHFS ? ", link" : "") + ")");
            }
        }
        return out;
    }

    private static void need(List<String> f, int min, int max, String at, String form) throws TableException {
        if (f.size() < min || f.size() > max) {
            throw new TableException(at, "expected '" + form + "', got " + f.size() + " fields");
        }
    }

    private static String path(String p, String at) throws TableException {
        return TablePaths.absolute(p, at);
    }

    private static int mode(String m, String at) throws TableException {
        return TablePaths.octalMode(m, at);
    }

    private static TableEntry.Owner owner(List<String> f, int index) {
        return new TableEntry.Owner(f.get(index), f.get(index + 1));
    }

    private Path host(String location, String at) throws TableException {
        Path p = base.resolve(location).normalize();
        if (!Files.isRegularFile(p)) {
            throw new TableException(at, "file '" + location + "' " + (Files.exists(p) ? "is not a regular file"
                    : "does not exist") + " (looked for " + p + ")");
        }
        return p;
    }

    private String expand(String location, String at) throws TableException {
        Matcher m = VARIABLE.matcher(location);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = environment.get(m.group(1));
            if (value == null) {
                throw new TableException(at, "${" + m.group(1) + "} is not set in the environment");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Splits on white space; gensquashfs also takes "quoted fields" with backslash escapes. */
    private List<String> tokens(String text, String at) throws TableException {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder();
            if (c == '"' && dialect == Dialect.GENSQUASHFS) {
                i++;
                boolean closed = false;
                while (i < text.length()) {
                    char d = text.charAt(i++);
                    if (d == '\\' && i < text.length()) {
                        sb.append(text.charAt(i++));
                    } else if (d == '"') {
                        closed = true;
                        break;
                    } else {
                        sb.append(d);
                    }
                }
                if (!closed) {
                    throw new TableException(at, "unterminated quoted field");
                }
            } else {
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                    sb.append(text.charAt(i++));
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
