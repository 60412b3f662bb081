package dev.strata.squashfs.write;

/**
 * What a write produced, for reports and benchmarks.
 *
 * @param bytesUsed       the superblock's bytes_used (the image without padding)
 * @param imageSize       the file size including padding
 * @param dataBytes       the data blocks and fragment blocks: the image less its superblock, metadata
 *                        tables and padding
 * @param inodes          inode count
 * @param files           regular files written (hard links counted once)
 * @param duplicates      files stored as references to identical earlier files
 * @param fragments       fragment blocks written
 * @param sparseBlocks    all-zero blocks left out
 * @param uncompressedFileBytes total size of file contents read
 */
public record WriteResult(long bytesUsed, long imageSize, long dataBytes, int inodes, long files, long duplicates, int fragments,
                          long sparseBlocks, long uncompressedFileBytes) {
}
