namespace SkRerank.Embeddings;

/// <summary>
/// What the embedding and token cache formats share inside their checksummed envelope: a header (format version,
/// model key, vector width, entry count) and 128-bit entry keys (<see cref="EmbeddingCacheFile.KeyOf"/>).
/// </summary>
internal static class CacheFileHeader
{
    /// <summary>Reads and checks the header; throws <see cref="InvalidDataException"/> naming what does not match.</summary>
    public static (string ModelKey, int Dimensions, int Count) Read(BinaryReader reader, int formatVersion, string expectedModelKey)
    {
        var version = reader.ReadInt32();
        if (version != formatVersion) throw new InvalidDataException($"format version {version} is not {formatVersion}");
        var modelKey = reader.ReadString();
        if (modelKey != expectedModelKey) throw new InvalidDataException($"it belongs to model '{modelKey}', not '{expectedModelKey}'");
        var dimensions = reader.ReadInt32();
        var count = reader.ReadInt32();
        if (dimensions <= 0 || count < 0) throw new InvalidDataException("bad header");
        return (modelKey, dimensions, count);
    }

    public static void Write(BinaryWriter writer, int formatVersion, string modelKey, int dimensions, int count)
    {
        writer.Write(formatVersion);
        writer.Write(modelKey);
        writer.Write(dimensions);
        writer.Write(count);
    }

    public static UInt128 ReadKey(BinaryReader reader)
    {
        var lower = reader.ReadUInt64();
        var upper = reader.ReadUInt64();
        return new UInt128(upper, lower);
    }

    public static void WriteKey(BinaryWriter writer, UInt128 key)
    {
        writer.Write((ulong)key);
        writer.Write((ulong)(key >> 64));
    }
}
