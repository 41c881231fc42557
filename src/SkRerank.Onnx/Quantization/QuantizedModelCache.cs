using System.Security.Cryptography;
using System.Text;
using SkRerank.Storage;

namespace SkRerank.Onnx.Quantization;

/// <summary>
/// Keeps quantized models on disk, so that a start-up reads one file instead of quantizing again. A file holds a header
/// (format, the key it was made for), the ONNX bytes and a SHA-256 of everything before it; one that is truncated,
/// corrupted or made for another source or setting is rebuilt, never used. Writes are atomic (temp file, then rename),
/// so concurrent processes at worst both quantize.
/// </summary>
internal static class QuantizedModelCache
{
    private static ReadOnlySpan<byte> Magic => "SKRQNT01"u8;
    private const int FormatVersion = 1;

    /// <summary>What <see cref="Load"/> did.</summary>
    internal enum Outcome
    {
        /// <summary>The cached file was valid and used.</summary>
        Reused,
        /// <summary>There was no cached file; the model was quantized (and written, when the folder is writable).</summary>
        Built,
        /// <summary>The cached file failed its checks; the model was quantized again and the file replaced.</summary>
        Rebuilt,
    }

    /// <summary>The cache file of <paramref name="key"/> in <paramref name="folder"/>, named after the model for people looking.</summary>
    public static string PathFor(string folder, string modelId, string key)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        var slug = string.Concat(modelId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        return Path.Combine(folder, $"{slug}.{hash}.skq");
    }

    /// <summary>
    /// The quantized model for <paramref name="key"/>: read from <paramref name="path"/> when valid, otherwise made by
    /// <paramref name="quantize"/> and written there. A folder that cannot be written only costs the next start the same work.
    /// </summary>
    public static byte[] Load(string path, string key, Func<byte[]> quantize, out Outcome outcome)
    {
        ChecksummedFile.DeleteStaleTemporaryFiles(path);
        var existed = File.Exists(path);
        if (existed && TryRead(path, key) is { } cached)
        {
            outcome = Outcome.Reused;
            return cached;
        }

        var bytes = quantize();
        outcome = existed ? Outcome.Rebuilt : Outcome.Built;
        try
        {
            Write(path, key, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Read-only or full disk: the model still works, quantized in memory.
        }

        return bytes;
    }

    /// <summary>The cached model, or <see langword="null"/> when the file is missing, foreign, stale or damaged.</summary>
    internal static byte[]? TryRead(string path, string key)
    {
        try
        {
            var body = ChecksummedFile.ReadBody(path, Magic, "SkRerank quantized model file");
            using var reader = new BinaryReader(new MemoryStream(body.Array!, body.Offset, body.Count, writable: false), Encoding.UTF8);
            var version = reader.ReadInt32();
            var storedKey = reader.ReadString();
            var length = reader.ReadInt64();
            var start = (int)reader.BaseStream.Position;
            if (version != FormatVersion || storedKey != key || length <= 0 || length != body.Count - start) return null;
            // ONNX Runtime takes a whole array as the model.
            return body.Slice(start).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Writes a cache file atomically.</summary>
    internal static void Write(string path, string key, byte[] model) =>
        ChecksummedFile.Write(path, Magic, writer =>
        {
            writer.Write(FormatVersion);
            writer.Write(key);
            writer.Write((long)model.Length);
            writer.Write(model);
        }, capacity: model.Length + 256);
}
