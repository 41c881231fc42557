using System.Security.Cryptography;
using System.Text;
using SkRerank.Storage;

namespace SkRerank.Embeddings;

/// <summary>
/// The on-disk format of the embedding cache: a header naming the model and dimensions, then one entry per
/// embedded text (a 128-bit hash of input type and text, then the vector), then a SHA-256 of everything before it.
/// The checksum and header checks mean a truncated, corrupted or foreign file is detected and rebuilt, never used.
/// </summary>
internal static class EmbeddingCacheFile
{
    private static ReadOnlySpan<byte> Magic => "SKRVEC01"u8;
    private const int FormatVersion = 1;

    internal sealed record Contents(string ModelKey, int Dimensions, Dictionary<UInt128, float[]> Entries);

    /// <summary>Reads a cache file; throws <see cref="InvalidDataException"/> with the reason when it cannot be trusted.</summary>
    public static Contents Read(string path, string expectedModelKey)
    {
        var body = ChecksummedFile.ReadBody(path, Magic, "SkRerank embedding cache file");
        using var reader = new BinaryReader(new MemoryStream(body.Array!, body.Offset, body.Count, writable: false), Encoding.UTF8);
        var (modelKey, dimensions, count) = CacheFileHeader.Read(reader, FormatVersion, expectedModelKey);
        if ((long)count * (16 + 4L * dimensions) != reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException("entry count does not match the file size");

        var entries = new Dictionary<UInt128, float[]>(count);
        for (var i = 0; i < count; i++)
        {
            var key = CacheFileHeader.ReadKey(reader);
            var vector = new float[dimensions];
            for (var d = 0; d < dimensions; d++)
            {
                vector[d] = reader.ReadSingle();
                if (!float.IsFinite(vector[d])) throw new InvalidDataException($"entry {i} holds a non-finite value");
            }
            entries[key] = vector;
        }
        return new Contents(modelKey, dimensions, entries);
    }

    /// <summary>Writes the cache atomically (temp file, then rename), so a crash never leaves half a file behind.</summary>
    public static void Write(string path, string modelKey, int dimensions, IReadOnlyCollection<KeyValuePair<UInt128, float[]>> entries)
    {
        ChecksummedFile.Write(path, Magic, writer =>
        {
            CacheFileHeader.Write(writer, FormatVersion, modelKey, dimensions, entries.Count);
            foreach (var (key, vector) in entries)
            {
                CacheFileHeader.WriteKey(writer, key);
                foreach (var value in vector) writer.Write(value);
            }
        }, capacity: 64 + entries.Count * (16 + 4 * dimensions));
    }

    /// <summary>The entry key of a text: the first 128 bits of SHA-256 over input type and text.</summary>
    public static UInt128 KeyOf(EmbeddingInputType inputType, string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes((inputType == EmbeddingInputType.Query ? "q\n" : "d\n") + text), hash);
        return new UInt128(BitConverter.ToUInt64(hash[8..16]), BitConverter.ToUInt64(hash[..8]));
    }
}
