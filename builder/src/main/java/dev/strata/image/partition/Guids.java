package dev.strata.image.partition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * GUIDs as GPT stores them (the first three fields little-endian, the rest as written), and
 * name-based GUIDs (RFC 4122 version 5) so that the same spec gives the same disk and partition
 * GUIDs on every build.
 */
public final class Guids {
    /** The namespace of Strata's name-based GUIDs (fixed; changing it changes every derived GUID). */
    public static final UUID NAMESPACE = UUID.fromString("4c0a7f52-93d1-4e36-8f2b-5d19e6a0c7b3");

    private Guids() {
    }

    /** The 16 bytes GPT stores for u. */
    public static byte[] toGpt(UUID u) {
        byte[] be = toBigEndian(u);
        byte[] out = be.clone();
        out[0] = be[3];
        out[1] = be[2];
        out[2] = be[1];
        out[3] = be[0];
        out[4] = be[5];
        out[5] = be[4];
        out[6] = be[7];
        out[7] = be[6];
        return out;
    }

    /** The GUID GPT stores at b[offset..offset+16). */
    public static UUID fromGpt(byte[] b, int offset) {
        byte[] be = new byte[16];
        System.arraycopy(b, offset, be, 0, 16);
        byte[] swapped = be.clone();
        swapped[0] = be[3];
        swapped[1] = be[2];
        swapped[2] = be[1];
        swapped[3] = be[0];
        swapped[4] = be[5];
        swapped[5] = be[4];
        swapped[6] = be[7];
        swapped[7] = be[6];
        return fromBigEndian(swapped);
    }

    /** RFC 4122 version 5 (SHA-1) GUID of name in {@link #NAMESPACE}. */
    public static UUID nameBased(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha1.update(toBigEndian(NAMESPACE));
        byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        byte[] u = new byte[16];
        System.arraycopy(h, 0, u, 0, 16);
        u[6] = (byte) ((u[6] & 0x0f) | 0x50);
        u[8] = (byte) ((u[8] & 0x3f) | 0x80);
        return fromBigEndian(u);
    }

    /**
     * u with its last byte replaced by n: OpenWrt's ptgen derives partition GUIDs from the disk GUID
     * this way, so that {@code root=PARTUUID=...02} can be written before the table exists.
     */
    public static UUID withLastByte(UUID u, int n) {
        return new UUID(u.getMostSignificantBits(), (u.getLeastSignificantBits() & ~0xffL) | (n & 0xff));
    }

    static byte[] toBigEndian(UUID u) {
        byte[] b = new byte[16];
        long msb = u.getMostSignificantBits();
        long lsb = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (msb >>> (56 - 8 * i));
            b[8 + i] = (byte) (lsb >>> (56 - 8 * i));
        }
        return b;
    }

    static UUID fromBigEndian(byte[] b) {
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[8 + i] & 0xff);
        }
        return new UUID(msb, lsb);
    }
}
