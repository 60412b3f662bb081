package dev.strata.sources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the owner spellings mksquashfs accepts (a number, or a user or group name) into ids. Names
 * are looked up in the build host's account files, as mksquashfs does with getpwnam/getgrnam.
 */
public final class Accounts {
    private static final long MAX_ID = 0xFFFF_FFFFL;

    private final Map<String, Integer> users;
    private final Map<String, Integer> groups;
    private final String usersSource;
    private final String groupsSource;

    private Accounts(Map<String, Integer> users, Map<String, Integer> groups, String usersSource,
                     String groupsSource) {
        this.users = Map.copyOf(users);
        this.groups = Map.copyOf(groups);
        this.usersSource = usersSource;
        this.groupsSource = groupsSource;
    }

    /** The build host's /etc/passwd and /etc/group (missing files simply know no names). */
    public static Accounts host() {
        return fromFiles(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    public static Accounts fromFiles(Path passwd, Path group) {
        return new Accounts(readIds(passwd), readIds(group), passwd.toString(), group.toString());
    }

    /** Fixed name tables, for tests and for trees whose accounts are not the host's. */
    public static Accounts of(Map<String, Integer> users, Map<String, Integer> groups) {
        return new Accounts(users, groups, "the known users", "the known groups");
    }

    /** A uid from a decimal number (0..4294967295, stored as the same 32 bits) or a user name. */
    public int uid(String spelling) {
        return resolve(spelling, users, "user", usersSource);
    }

    /** A gid from a decimal number or a group name. */
    public int gid(String spelling) {
        return resolve(spelling, groups, "group", groupsSource);
    }

    private static int resolve(String spelling, Map<String, Integer> names, String kind, String source) {
        if (!spelling.isEmpty() && spelling.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (spelling.length() > 10 || Long.parseLong(spelling) > MAX_ID) {
                throw new IllegalArgumentException(kind + " id " + spelling + " out of range (0..4294967295)");
            }
            return (int) Long.parseLong(spelling);
        }
        Integer id = names.get(spelling);
        if (id == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + spelling + "' (not a number and not in "
                    + source + ")");
        }
        return id;
    }

    /** name:x:id:... lines, as in passwd(5) and group(5); the first entry for a name wins. */
    private static Map<String, Integer> readIds(Path file) {
        Map<String, Integer> ids = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return ids;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            String[] fields = line.split(":", -1);
            if (fields.length < 3 || fields[0].isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                long id = Long.parseLong(fields[2]);
                if (id >= 0 && id <= MAX_ID) {
                    ids.putIfAbsent(fields[0], (int) id);
                }
            } catch (NumberFormatException e) {
                // a malformed line names nobody
            }
        }
        return ids;
    }
}
