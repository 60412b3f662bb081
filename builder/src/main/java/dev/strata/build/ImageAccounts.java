package dev.strata.build;

import dev.strata.sources.Accounts;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * User and group names as the image itself defines them in /etc/passwd and /etc/group (never the
 * build host's): what makedevs and opkg see on the device.
 */
public final class ImageAccounts {
    private static final long MAX_ID = 0xFFFF_FFFFL;
    private static final int MAX_ACCOUNT_FILE = 4 << 20;

    private final Map<String, Integer> users;
    private final Map<String, Integer> groups;
    private final boolean hasPasswd;
    private final boolean hasGroup;

    private ImageAccounts(Map<String, Integer> users, Map<String, Integer> groups, boolean hasPasswd,
                          boolean hasGroup) {
        this.users = users;
        this.groups = groups;
        this.hasPasswd = hasPasswd;
        this.hasGroup = hasGroup;
    }

    /** Reads the accounts the assembly's tree has now. */
    public static ImageAccounts of(RootAssembly assembly) throws IOException {
        Node passwd = assembly.find(ImagePaths.names("/etc/passwd"), true);
        Node group = assembly.find(ImagePaths.names("/etc/group"), true);
        return new ImageAccounts(read(passwd), read(group), passwd instanceof FileNode, group instanceof FileNode);
    }

    private static Map<String, Integer> read(Node node) throws IOException {
        Map<String, Integer> ids = new LinkedHashMap<>();
        if (!(node instanceof FileNode f)) {
            return ids;
        }
        byte[] bytes;
        try (InputStream in = f.content().open()) {
            bytes = in.readNBytes(MAX_ACCOUNT_FILE);
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            String[] fields = line.split(":", -1);
            if (fields.length < 3 || fields[0].isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                long id = Long.parseLong(fields[2].strip());
                if (id >= 0 && id <= MAX_ID) {
                    ids.putIfAbsent(fields[0], (int) id);
                }
            } catch (NumberFormatException e) {
                // a malformed line names nobody
            }
        }
        return ids;
    }

    /** A uid from a number or a user name in the image's /etc/passwd. */
    public int uid(String spelling) {
        return resolve(spelling, users, "user", "/etc/passwd", hasPasswd);
    }

    /** A gid from a number or a group name in the image's /etc/group. */
    public int gid(String spelling) {
        return resolve(spelling, groups, "group", "/etc/group", hasGroup);
    }

    private static int resolve(String spelling, Map<String, Integer> names, String kind, String file, boolean exists) {
        if (!spelling.isEmpty() && spelling.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (spelling.length() > 10 || Long.parseLong(spelling) > MAX_ID) {
                throw new IllegalArgumentException(kind + " id " + spelling + " is out of range (0..4294967295)");
            }
            return (int) Long.parseLong(spelling);
        }
        Integer id = names.get(spelling);
        if (id == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + spelling + "': "
                    + (exists ? "not in the image's " + file : "the image has no " + file + " (yet) to look it up in"));
        }
        return id;
    }

    /** The same tables for code that takes the CLI's Accounts (the pseudo definition parser). */
    public Accounts asAccounts() {
        return Accounts.of(users, groups);
    }

    /** The first name of each uid, for reports. */
    public Map<Integer, String> userNames() {
        return reverse(users);
    }

    public Map<Integer, String> groupNames() {
        return reverse(groups);
    }

    private static Map<Integer, String> reverse(Map<String, Integer> names) {
        Map<Integer, String> out = new TreeMap<>();
        names.forEach((name, id) -> out.putIfAbsent(id, name));
        return out;
    }
}
