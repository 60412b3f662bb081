package dev.strata.build;

import dev.strata.spec.Spec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * /etc/strata-release: os-release style KEY="value" lines naming the firmware, its version, when
 * it was built (the build epoch, so reproducible builds match) and the digest of the spec.
 */
final class ReleaseFile {
    private ReleaseFile() {
    }

    static byte[] render(Spec spec, long epoch, String strataVersion) {
        StringBuilder sb = new StringBuilder();
        line(sb, "NAME", spec.name());
        line(sb, "VERSION", spec.version());
        spec.profile().ifPresent(p -> line(sb, "PROFILE", p));
        line(sb, "BUILD_DATE", Instant.ofEpochSecond(epoch).toString());
        sb.append("SOURCE_DATE_EPOCH=").append(epoch).append('\n');
        line(sb, "SPEC_SHA256", spec.sha256());
        line(sb, "BUILDER", "strata " + strataVersion);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append("=\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\' || c == '$' || c == '`') {
                sb.append('\\');
            }
            sb.append(c == '\n' ? ' ' : c);
        }
        sb.append("\"\n");
    }
}
