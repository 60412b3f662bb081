package dev.strata.squashfs.format;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** LeInput and LeOutput over a ByteBuffer; reads past the end become a CorruptImageException. */
public final class ByteBufferLe implements LeInput, LeOutput {
    private final ByteBuffer buf;
    private final long baseOffset;
    private final String what;

    /**
     * @param baseOffset the image offset of buf's position 0, for error messages
     * @param what       the structure being read, for error messages
     */
    public ByteBufferLe(ByteBuffer buf, long baseOffset, String what) {
        this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
        this.baseOffset = baseOffset;
        this.what = what;
    }

    public static ByteBufferLe forWriting(int capacity) {
        return new ByteBufferLe(ByteBuffer.allocate(capacity), 0, "buffer");
    }

    public ByteBuffer buffer() {
        return buf;
    }

    @Override
    public int u8() throws IOException {
        try {
            return buf.get() & 0xFF;
        } catch (BufferUnderflowException e) {
            throw truncated(1);
        }
    }

    @Override
    public int u16() throws IOException {
        try {
            return buf.getShort() & 0xFFFF;
        } catch (BufferUnderflowException e) {
            throw truncated(2);
        }
    }

    @Override
    public short s16() throws IOException {
        try {
            return buf.getShort();
        } catch (BufferUnderflowException e) {
            throw truncated(2);
        }
    }

    @Override
    public long u32() throws IOException {
        try {
            return buf.getInt() & 0xFFFFFFFFL;
        } catch (BufferUnderflowException e) {
            throw truncated(4);
        }
    }

    @Override
    public int i32() throws IOException {
        try {
            return buf.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated(4);
        }
    }

    @Override
    public long u64() throws IOException {
        try {
            return buf.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated(8);
        }
    }

    @Override
    public byte[] bytes(int n) throws IOException {
        if (n < 0 || n > buf.remaining()) {
            throw truncated(n);
        }
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    @Override
    public long imageOffset() {
        return baseOffset < 0 ? -1 : baseOffset + buf.position();
    }

    @Override
    public String position() {
        return mark().toString();
    }

    @Override
    public Object mark() {
        return new Mark(what, baseOffset + buf.position());
    }

    private record Mark(String what, long at) {
        @Override
        public String toString() {
            return what + " at byte " + at;
        }
    }

    private CorruptImageException truncated(int wanted) {
        return new CorruptImageException(baseOffset + buf.position(),
                what + " ends early: " + wanted + " more bytes needed, " + buf.remaining() + " left");
    }

    @Override
    public void u8(int v) {
        buf.put((byte) v);
    }

    @Override
    public void u16(int v) {
        buf.putShort((short) v);
    }

    @Override
    public void u32(long v) {
        buf.putInt((int) v);
    }

    @Override
    public void u64(long v) {
        buf.putLong(v);
    }

    @Override
    public void bytes(byte[] b) {
        buf.put(b);
    }
}
