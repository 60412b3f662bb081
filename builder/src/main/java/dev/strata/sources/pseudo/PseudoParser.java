package dev.strata.sources.pseudo;

import dev.strata.sources.Accounts;
import dev.strata.sources.EpochTime;
import dev.strata.sources.InputFiles;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.XattrNames;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads mksquashfs pseudo definitions (-p and -pf), following squashfs-tools' pseudo.c: a file name
 * that may be quoted with "..." or use backslash escapes, a one-letter type, then the type's fields.
 * In pseudo files, blank lines and lines starting with '#' are skipped, a line ending in a backslash
 * continues on the next, and "# START OF DATA - DO NOT MODIFY" starts the data section that R
 * definitions refer to (as written by unsquashfs -pf).
 */
public final class PseudoParser {
    static final String DATA_MARKER = "# START OF DATA - DO NOT MODIFY";
    private static final int MAX_SYMLINK = 65535;
    private static final String TYPES = "d m b c f s i l L x (with a time: D M B C F S I R)";

    private final Accounts accounts;

    public PseudoParser(Accounts accounts) {
        this.accounts = accounts;
    }

    /** One -p definition. */
    public PseudoDefinition parseOption(String definition) throws PseudoDefinitionException {
        return parseDefinition(definition, Location.option(definition), null, null);
    }

    /** A -pf file. */
    public List<PseudoDefinition> parseFile(Path file) throws IOException {
        InputFiles.requireNotDirectory(file, "a pseudo file");
        byte[] bytes = Files.readAllBytes(file);
        DataSource data = (offset, length, origin) -> FileContent.of(length, origin,
                () -> new LimitedInputStream(skipped(Files.newInputStream(file), offset), length));
        return parse(bytes, file.toString(), data);
    }

    /** Pseudo file text held in memory (for -pf - from standard input, and for tests). */
    public List<PseudoDefinition> parse(byte[] bytes, String sourceName) throws PseudoDefinitionException {
        DataSource data = (offset, length, origin) -> FileContent.of(length, origin,
                () -> new ByteArrayInputStream(bytes, (int) offset, (int) length));
        return parse(bytes, sourceName, data);
    }

    /** Where R definitions find their bytes: offset from the start of the whole pseudo file. */
    private interface DataSource {
        FileContent content(long offset, long length, String origin);
    }

    private List<PseudoDefinition> parse(byte[] bytes, String sourceName, DataSource data)
            throws PseudoDefinitionException {
        List<LogicalLine> lines = new ArrayList<>();
        long dataStart = splitLines(bytes, lines);
        List<PseudoDefinition> definitions = new ArrayList<>();
        for (LogicalLine line : lines) {
            Location location = new Location(sourceName, line.number());
            InlineData inline = dataStart < 0 ? null : (attrs, length, offset, path) -> {
                long start = dataStart + offset;
                if (start + length > bytes.length) {
                    throw new PseudoDefinitionException(location, "R data (offset " + offset + ", length " + length
                            + ") lies beyond the end of " + sourceName);
                }
                return data.content(start, length, sourceName + " (data of /" + path + ")");
            };
            definitions.add(parseDefinition(line.text(), location, inline, sourceName));
        }
        return definitions;
    }

    /** A definition's text with continuation lines joined, and the number of its first line. */
    private record LogicalLine(String text, int number) {
    }

    /**
     * Splits the file into definitions, dropping blank and comment lines.
     *
     * @return the offset of the data section, or -1 when there is none
     */
    private static long splitLines(byte[] bytes, List<LogicalLine> out) {
        int pos = 0;
        int lineNumber = 0;
        while (pos < bytes.length) {
            int firstLine = lineNumber + 1;
            StringBuilder logical = new StringBuilder();
            while (true) {
                int end = indexOf(bytes, (byte) '\n', pos);
                String line = new String(bytes, pos, (end < 0 ? bytes.length : end) - pos, StandardCharsets.UTF_8);
                pos = end < 0 ? bytes.length : end + 1;
                lineNumber++;
                boolean continued = line.endsWith("\\") && !line.endsWith("\\\\");
                logical.append(line, 0, continued ? line.length() - 1 : line.length());
                if (!continued || pos >= bytes.length) {
                    break;
                }
            }
            String def = logical.toString().stripLeading();
            if (def.equals(DATA_MARKER)) {
                // the marker line is followed by a "#" line; the data starts after it
                return Math.min((long) pos + 2, bytes.length);
            }
            if (!def.isEmpty() && !def.startsWith("#")) {
                out.add(new LogicalLine(def, firstLine));
            }
        }
        return -1;
    }

    /** Makes the content of an R definition once its data section is known. */
    private interface InlineData {
        FileContent content(PseudoAttributes attrs, long length, long offset, String path)
                throws PseudoDefinitionException;
    }

    private PseudoDefinition parseDefinition(String def, Location loc, InlineData inline, String sourceName)
            throws PseudoDefinitionException {
        Cursor c = new Cursor(def, loc);
        String filename = c.quotedToken();
        String path = normalise(filename);
        c.skipSpace();
        String typeToken = c.plainToken();
        if (typeToken.isEmpty()) {
            throw c.error("missing type after file name '" + filename + "' (a file name with spaces must be"
                    + " quoted or have its spaces backslash-escaped)");
        }
        if (typeToken.length() != 1) {
            throw c.error("unknown type '" + typeToken + "' (types: " + TYPES + ")");
        }
        char type = typeToken.charAt(0);
        c.skipSpace();
        switch (type) {
            case 'x':
                return xattr(c, loc, path);
            case 'l': {
                String target = c.quotedToken();
                if (target.isEmpty()) {
                    throw c.error("missing file to link to");
                }
                c.expectEnd();
                return new PseudoDefinition.HostLink(loc, path, target);
            }
            case 'L': {
                String target = normalise(c.quotedToken());
                if (target.isEmpty()) {
                    throw c.error("missing pseudo file to link to");
                }
                c.expectEnd();
                return new PseudoDefinition.PseudoLink(loc, path, target);
            }
            default:
                break;
        }
        if ("dmbcfsiDMBCFSIR".indexOf(type) < 0) {
            throw c.error("unknown type '" + type + "' (types: " + TYPES + ")");
        }
        OptionalLong time = OptionalLong.empty();
        if (Character.isUpperCase(type)) {
            String timeText = c.quotedToken();
            if (timeText.isEmpty()) {
                throw c.error("missing time (seconds since the epoch or a quoted date)");
            }
            try {
                time = OptionalLong.of(EpochTime.parse(timeText));
            } catch (IllegalArgumentException e) {
                throw c.error("bad time: " + e.getMessage());
            }
            c.skipSpace();
        }
        PseudoAttributes attrs = attributes(c, time);
        switch (Character.toLowerCase(type)) {
            case 'd':
                c.expectEnd();
                return new PseudoDefinition.Directory(loc, path, attrs);
            case 'm':
                c.expectEnd();
                return new PseudoDefinition.Modify(loc, path, attrs);
            case 'b':
            case 'c': {
                long major = c.number("major");
                long minor = c.number("minor");
                if (major > 0xFFF) {
                    throw c.error("major " + major + " out of range (0..4095)");
                }
                if (minor > 0xFFFFF) {
                    throw c.error("minor " + minor + " out of range (0..1048575)");
                }
                c.expectEnd();
                NodeType nodeType = Character.toLowerCase(type) == 'b' ? NodeType.BLOCK_DEVICE : NodeType.CHAR_DEVICE;
                return new PseudoDefinition.Device(loc, path, nodeType, attrs, (int) major, (int) minor);
            }
            case 'i': {
                String kind = c.plainToken();
                NodeType nodeType = switch (kind) {
                    case "f" -> NodeType.FIFO;
                    case "s" -> NodeType.SOCKET;
                    default -> throw c.error(kind.isEmpty() ? "missing f (fifo) or s (socket)"
                            : "'" + kind + "' is neither f (fifo) nor s (socket)");
                };
                c.expectEnd();
                return new PseudoDefinition.Ipc(loc, path, nodeType, attrs);
            }
            case 'f': {
                String command = c.rest();
                if (command.isBlank()) {
                    throw c.error("missing command (an executable or shell script run with /bin/sh -c)");
                }
                return new PseudoDefinition.DynamicFile(loc, path, attrs, command);
            }
            case 's': {
                String target = c.rest();
                if (target.isEmpty()) {
                    throw c.error("missing symlink target");
                }
                if (target.getBytes(StandardCharsets.UTF_8).length > MAX_SYMLINK) {
                    throw c.error("symlink target longer than " + MAX_SYMLINK + " bytes");
                }
                return new PseudoDefinition.Symlink(loc, path, attrs, target);
            }
            default: { // 'R'
                if (sourceName == null) {
                    throw c.error("R definitions can only be used in a pseudo file (-pf), not with -p");
                }
                long length = c.number("length");
                long offset = c.number("offset");
                c.skipSpace();
                if (!c.atEnd()) {
                    c.number("sparse flag"); // mksquashfs 4.6 writes it; sparse blocks are found when writing
                }
                c.expectEnd();
                if (inline == null) {
                    throw c.error("R definition, but " + sourceName + " has no '" + DATA_MARKER
                            + "' line before its data");
                }
                return new PseudoDefinition.InlineFile(loc, path, attrs, inline.content(attrs, length, offset, path));
            }
        }
    }

    private PseudoAttributes attributes(Cursor c, OptionalLong time) throws PseudoDefinitionException {
        String modeText = c.plainToken();
        if (modeText.isEmpty() || !modeText.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
            throw c.error(modeText.isEmpty() ? "missing mode" : "mode '" + modeText + "' is not an octal number");
        }
        long mode = modeText.length() > 8 ? Long.MAX_VALUE : Long.parseLong(modeText, 8);
        if (mode > 07777) {
            throw c.error("mode " + modeText + " out of range (0..7777)");
        }
        c.skipSpace();
        String uidText = c.plainToken();
        if (uidText.isEmpty()) {
            throw c.error("missing uid");
        }
        c.skipSpace();
        String gidText = c.plainToken();
        if (gidText.isEmpty()) {
            throw c.error("missing gid");
        }
        c.skipSpace();
        int uid;
        int gid;
        try {
            uid = accounts.uid(uidText);
            gid = accounts.gid(gidText);
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage());
        }
        return new PseudoAttributes((int) mode, uid, gid, time);
    }

    private static PseudoDefinition xattr(Cursor c, Location loc, String path) throws PseudoDefinitionException {
        String spec = c.rest();
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw c.error("xattr '" + spec + "' has no '=' (expected name=value)");
        }
        if (eq == 0) {
            throw c.error("xattr '" + spec + "' has an empty name");
        }
        if (eq == spec.length() - 1) {
            throw c.error("xattr '" + spec + "' has an empty value");
        }
        String name = spec.substring(0, eq);
        if (!XattrNames.isStorable(name)) {
            throw c.error("xattr '" + name + "' is not in a namespace SquashFS stores (user., trusted., security.)");
        }
        byte[] value = XattrValues.decode(spec.substring(eq + 1), c::error);
        return new PseudoDefinition.Xattr(loc, path, name, value);
    }

    /** Leading slashes dropped; the root is "". */
    private static String normalise(String filename) {
        int i = 0;
        while (i < filename.length() && filename.charAt(i) == '/') {
            i++;
        }
        String path = filename.substring(i);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static InputStream skipped(InputStream in, long count) throws IOException {
        try {
            in.skipNBytes(count);
            return in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /** Reads at most limit bytes of the stream. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long left;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** The fields of one definition, read left to right with mksquashfs's quoting rules. */
    private static final class Cursor {
        private final String s;
        private final Location loc;
        private int pos;

        Cursor(String s, Location loc) {
            this.s = s;
            this.loc = loc;
        }

        PseudoDefinitionException error(String problem) {
            return new PseudoDefinitionException(loc, problem);
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        /** Up to unquoted white space; "..." quotes, a backslash takes the next character literally. */
        String quotedToken() {
            StringBuilder out = new StringBuilder();
            boolean quoted = false;
            while (pos < s.length() && (quoted || !Character.isWhitespace(s.charAt(pos)))) {
                char ch = s.charAt(pos++);
                if (ch == '"') {
                    quoted = !quoted;
                    continue;
                }
                if (ch == '\\') {
                    if (pos >= s.length()) {
                        break;
                    }
                    ch = s.charAt(pos++);
                }
                out.append(ch);
            }
            return out.toString();
        }

        /** Up to white space, no quoting (sscanf %s). */
        String plainToken() {
            int start = pos;
            while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        long number(String what) throws PseudoDefinitionException {
            skipSpace();
            String t = plainToken();
            if (t.isEmpty()) {
                throw error("missing " + what);
            }
            if (!t.chars().allMatch(ch -> ch >= '0' && ch <= '9') || t.length() > 18) {
                throw error(what + " '" + t + "' is not a decimal number");
            }
            return Long.parseLong(t);
        }

        /** The rest of the definition as written (commands, symlink targets, xattrs). */
        String rest() {
            String r = s.substring(pos);
            pos = s.length();
            return r;
        }

        void expectEnd() throws PseudoDefinitionException {
            skipSpace();
            if (pos < s.length()) {
                throw error("unexpected '" + s.substring(pos) + "' at the end of the definition");
            }
        }
    }
}
