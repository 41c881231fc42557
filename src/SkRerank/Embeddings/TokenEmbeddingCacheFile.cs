using System.Runtime.InteropServices;
using System.Text;
using SkRerank.Storage;

namespace SkRerank.Embeddings;

/// <summary>
/// The on-disk format of a <see cref="TokenEmbedding"/> cache: a header naming the model and the width, then per text
/// its key (<see cref="EmbeddingCacheFile.KeyOf"/>), token ids and half-precision vectors, in the checksummed envelope
/// of every SkRerank cache file, so a truncated or foreign file is rebuilt, never used.
/// </summary>
internal static class TokenEmbeddingCacheFile
{
    private static ReadOnlySpan<byte> Magic => "SKRTOK01"u8;
    private const int FormatVersion = 1;

    /// <summary>Reads a cache file; throws <see cref="InvalidDataException"/> with the reason when it cannot be trusted.</summary>
    public static Dictionary<UInt128, TokenEmbedding> Read(string path, string expectedModelKey)
    {
        var body = ChecksummedFile.ReadBody(path, Magic, "SkRerank token cache file");
        using var reader = new BinaryReader(new MemoryStream(body.Array!, body.Offset, body.Count, writable: false), Encoding.UTF8);
        var (modelKey, dimensions, count) = CacheFileHeader.Read(reader, FormatVersion, expectedModelKey);
        var entries = new Dictionary<UInt128, TokenEmbedding>(count);
        for (var i = 0; i < count; i++)
        {
            var key = CacheFileHeader.ReadKey(reader);
            var tokens = reader.ReadInt32();
            if (tokens < 0 || (long)tokens * (4 + 2L * dimensions) > reader.BaseStream.Length - reader.BaseStream.Position)
                throw new InvalidDataException($"entry {i} runs past the end of the file");
            var ids = new int[tokens];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(ids.AsSpan()));
            var vectors = new Half[tokens * dimensions];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(vectors.AsSpan()));
            entries[key] = new TokenEmbedding(ids, vectors, dimensions) { ModelId = modelKey };
        }
        if (reader.BaseStream.Position != reader.BaseStream.Length) throw new InvalidDataException("entry count does not match the file size");
        return entries;
    }

    /// <summary>Writes the cache atomically (temporary file, then rename).</summary>
    public static void Write(string path, string modelKey, int dimensions, IReadOnlyCollection<KeyValuePair<UInt128, TokenEmbedding>> entries)
    {
        var size = entries.Sum(e => 20L + e.Value.TokenCount * (4L + 2L * dimensions));
        ChecksummedFile.Write(path, Magic, writer =>
        {
            CacheFileHeader.Write(writer, FormatVersion, modelKey, dimensions, entries.Count);
            foreach (var (key, embedding) in entries)
            {
                if (embedding.Dimensions != dimensions) throw new ArgumentException($"An entry has {embedding.Dimensions} dimensions, not {dimensions}.", nameof(entries));
                CacheFileHeader.WriteKey(writer, key);
                writer.Write(embedding.TokenCount);
                foreach (var id in embedding.TokenIds) writer.Write(id);
                writer.Write(MemoryMarshal.AsBytes(embedding.Vectors.Span));
            }
        }, capacity: (int)Math.Min(int.MaxValue - 1024, 64 + size));
    }
}
