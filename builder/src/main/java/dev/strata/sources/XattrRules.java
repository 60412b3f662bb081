package dev.strata.sources;

import dev.strata.sources.pseudo.XattrValues;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.XattrNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * mksquashfs 4.6's -xattrs-exclude, -xattrs-include and -xattrs-add. The two patterns choose which of
 * the xattrs read from the sources (directories or a tar archive) are kept: a name matching the
 * exclude pattern goes, and with an include pattern so does every name not matching it. Pseudo x
 * definitions are not filtered. The added xattrs go on every entry, user.* ones only on regular files
 * and directories (the kernel allows user xattrs on nothing else, see xattr(7)); an entry that
 * already has one of their names is an error, as in mksquashfs.
 *
 * @param exclude a POSIX extended regular expression, matched anywhere in the name
 * @param include likewise
 * @param added   name to value
 */
public record XattrRules(Optional<Pattern> exclude, Optional<Pattern> include, SortedMap<String, byte[]> added) {
    public static final XattrRules NONE = new XattrRules(Optional.empty(), Optional.empty(), new TreeMap<>());

    /** POSIX character classes, which Java's bracket expressions spell \p{...}. */
    private static final Pattern POSIX_CLASS = Pattern.compile(
            "\\[:(alnum|alpha|blank|cntrl|digit|graph|lower|print|punct|space|upper|xdigit):\\]");

    public XattrRules {
        added = Collections.unmodifiableSortedMap(new TreeMap<>(added));
    }

    /**
     * A POSIX extended regular expression (regcomp REG_EXTENDED, as mksquashfs compiles these) as a
     * Java pattern: the same syntax but for [:class:] inside brackets.
     *
     * @throws PatternSyntaxException when it is not a valid expression
     */
    public static Pattern posixRegex(String regex) {
        Matcher m = POSIX_CLASS.matcher(regex);
        StringBuilder java = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String javaName = switch (name) {
                case "xdigit" -> "XDigit";
                default -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
            };
            m.appendReplacement(java, Matcher.quoteReplacement("\\p{" + javaName + "}"));
        }
        m.appendTail(java);
        return Pattern.compile(java.toString());
    }

    /**
     * One -xattrs-add argument, NAME=VALUE with VALUE as mksquashfs reads it (plain, or 0s base64, 0x
     * hex, 0t text with \ooo escapes, 0b plain).
     *
     * @return the name and the decoded value
     * @throws IllegalArgumentException with the problem, for the command line's error
     */
    public static Map.Entry<String, byte[]> parseAddition(String argument) {
        int eq = argument.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("-xattrs-add " + argument + ": no '=' (expected NAME=VALUE)");
        }
        if (eq == 0) {
            throw new IllegalArgumentException("-xattrs-add " + argument + ": the xattr name is empty");
        }
        if (eq == argument.length() - 1) {
            throw new IllegalArgumentException("-xattrs-add " + argument + ": the xattr value is empty");
        }
        String name = argument.substring(0, eq);
        if (!XattrNames.isStorable(name)) {
            throw new IllegalArgumentException("-xattrs-add " + argument + ": xattr " + name
                    + " is not in a namespace SquashFS stores (user., trusted., security.)");
        }
        byte[] value = XattrValues.decode(argument.substring(eq + 1),
                problem -> new IllegalArgumentException("-xattrs-add " + argument + ": " + problem));
        return Map.entry(name, value);
    }

    /** Whether an xattr of this name read from a source is kept. */
    private boolean keeps(String name) {
        if (exclude.isPresent() && exclude.get().matcher(name).find()) {
            return false;
        }
        return include.isEmpty() || include.get().matcher(name).find();
    }

    /** Removes the xattrs these rules leave out; call before pseudo definitions add theirs. */
    public void filterSourceXattrs(FileTree tree) {
        if (exclude.isEmpty() && include.isEmpty()) {
            return;
        }
        for (Map.Entry<Node, String> entry : distinctNodes(tree)) {
            Node node = entry.getKey();
            for (String name : new ArrayList<>(node.xattrs().keySet())) {
                if (!keeps(name)) {
                    node.removeXattr(name);
                }
            }
        }
    }

    /**
     * Adds the -xattrs-add xattrs to every entry of the finished tree (user.* ones to regular files
     * and directories only).
     *
     * @throws SourceException naming the first entry that already has one of them
     */
    public void addTo(FileTree tree) throws SourceException {
        if (added.isEmpty()) {
            return;
        }
        for (Map.Entry<Node, String> entry : distinctNodes(tree)) {
            Node node = entry.getKey();
            boolean takesUser = node instanceof FileNode || node instanceof DirectoryNode;
            for (Map.Entry<String, byte[]> x : added.entrySet()) {
                if (x.getKey().startsWith("user.") && !takesUser) {
                    continue;
                }
                if (node.xattrs().containsKey(x.getKey())) {
                    throw new SourceException(Path.of(entry.getValue()), entry.getValue() + " already has xattr "
                            + x.getKey() + " (from its source or a pseudo definition); -xattrs-add cannot add it"
                            + " again (leave it out of the source with -xattrs-exclude)");
                }
                node.setXattr(x.getKey(), x.getValue());
            }
        }
    }

    /** Every node once (hard links share theirs), with the first path it was reached by, in walk order. */
    private static List<Map.Entry<Node, String>> distinctNodes(FileTree tree) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Map.Entry<Node, String>> nodes = new ArrayList<>();
        tree.walk((path, node) -> {
            if (seen.add(node)) {
                nodes.add(Map.entry(node, path));
            }
        });
        return nodes;
    }
}
