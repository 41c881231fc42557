using System.Security.Cryptography;
using System.Text;

namespace SkRerank.Embeddings;

/// <summary>
/// The checkpoint beside an embedding cache file (<c>*.skvec.journal</c>): a header naming the model and dimensions,
/// then one record per embedded batch (entry count, entries as in the cache file, first 8 bytes of a SHA-256 of the
/// record). Appending a batch costs only that batch, so a long indexing run saves its work as it goes; a reader keeps
/// every whole record and ignores a torn last one, so Ctrl+C, SIGTERM or a crash loses at most the batch being written.
/// </summary>
internal static class EmbeddingJournalFile
{
    private static ReadOnlySpan<byte> Magic => "SKRVJNL1"u8;
    private const int RecordChecksumLength = 8;

    /// <summary>The journal of <paramref name="cacheFilePath"/>.</summary>
    public static string PathFor(string cacheFilePath) => cacheFilePath + ".journal";

    /// <summary>Appends one record, writing the header first when the file is new.</summary>
    /// <exception cref="IOException">The file cannot be written (or another process is appending right now).</exception>
    public static void Append(string path, string modelKey, int dimensions, IReadOnlyList<KeyValuePair<UInt128, float[]>> entries)
    {
        using var record = new MemoryStream(4 + entries.Count * (16 + 4 * dimensions) + RecordChecksumLength);
        using (var writer = new BinaryWriter(record, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(entries.Count);
            foreach (var (key, vector) in entries)
            {
                writer.Write((ulong)key);
                writer.Write((ulong)(key >> 64));
                foreach (var value in vector) writer.Write(value);
            }
        }
        record.Write(SHA256.HashData(record.GetBuffer().AsSpan(0, (int)record.Length)).AsSpan(0, RecordChecksumLength));

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // FileShare.None: two processes appending at once would interleave records; the second one skips its checkpoint.
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
        if (file.Length == 0)
        {
            using var header = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true);
            header.Write(Magic);
            header.Write(modelKey);
            header.Write(dimensions);
        }
        else
        {
            file.Seek(0, SeekOrigin.End);
        }
        file.Write(record.GetBuffer().AsSpan(0, (int)record.Length));
        file.Flush(flushToDisk: false); // in the OS's hands: survives the process, which is what Ctrl+C and kill need
    }

    /// <summary>
    /// The entries of every whole record of a journal for <paramref name="modelKey"/> at <paramref name="dimensions"/>
    /// (0: take the journal's). Returns nothing for a missing, foreign or unreadable journal.
    /// </summary>
    public static (int Dimensions, List<KeyValuePair<UInt128, float[]>> Entries) Read(string path, string modelKey, int dimensions)
    {
        var entries = new List<KeyValuePair<UInt128, float[]>>();
        byte[] bytes;
        try
        {
            if (!File.Exists(path)) return (dimensions, entries);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (dimensions, entries);
        }

        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadString() != modelKey) return (dimensions, entries);
            var journalDimensions = reader.ReadInt32();
            if (journalDimensions <= 0 || (dimensions != 0 && journalDimensions != dimensions)) return (dimensions, entries);
            while (reader.BaseStream.Position < bytes.Length)
            {
                var start = (int)reader.BaseStream.Position;
                var count = reader.ReadInt32();
                var length = 4 + (long)count * (16 + 4L * journalDimensions);
                if (count <= 0 || start + length + RecordChecksumLength > bytes.Length) break; // torn last record
                var checksum = SHA256.HashData(bytes.AsSpan(start, (int)length)).AsSpan(0, RecordChecksumLength);
                if (!checksum.SequenceEqual(bytes.AsSpan(start + (int)length, RecordChecksumLength))) break;
                for (var i = 0; i < count; i++)
                {
                    var lower = reader.ReadUInt64();
                    var upper = reader.ReadUInt64();
                    var vector = new float[journalDimensions];
                    for (var d = 0; d < journalDimensions; d++) vector[d] = reader.ReadSingle();
                    if (vector.All(float.IsFinite)) entries.Add(new(new UInt128(upper, lower), vector));
                }
                reader.BaseStream.Position = start + length + RecordChecksumLength;
            }
            return (journalDimensions, entries);
        }
        catch (EndOfStreamException)
        {
            return (dimensions, entries);
        }
    }
}
