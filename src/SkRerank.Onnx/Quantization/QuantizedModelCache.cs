using System.Security.Cryptography;
using System.Text;

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
    private const int ChecksumLength = 32;

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

    /// <summary>Reads a cache file; <see langword="null"/> when it is missing, damaged or made for another key.</summary>
    internal static byte[]? TryRead(string path, string key)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var magic = new byte[Magic.Length];
            file.ReadExactly(magic);
            if (!magic.AsSpan().SequenceEqual(Magic)) return null;
            hash.AppendData(magic);

            // The header is parsed, then read again as bytes for the checksum.
            using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
            var headerStart = file.Position;
            var version = reader.ReadInt32();
            var storedKey = reader.ReadString();
            var length = reader.ReadInt64();
            if (version != FormatVersion || storedKey != key || length <= 0 || length != file.Length - file.Position - ChecksumLength) return null;
            var headerLength = (int)(file.Position - headerStart);
            file.Position = headerStart;
            var header = new byte[headerLength];
            file.ReadExactly(header);
            hash.AppendData(header);

            // Read straight into an array of the model's size: ONNX Runtime takes the whole array as the model.
            var model = new byte[length];
            file.ReadExactly(model);
            hash.AppendData(model);
            var checksum = new byte[ChecksumLength];
            file.ReadExactly(checksum);
            return hash.GetHashAndReset().AsSpan().SequenceEqual(checksum) ? model : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes a cache file atomically.</summary>
    internal static void Write(string path, string key, byte[] model)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                using var header = new MemoryStream();
                using (var writer = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(Magic);
                    writer.Write(FormatVersion);
                    writer.Write(key);
                    writer.Write((long)model.Length);
                }

                foreach (var part in new[] { header.ToArray(), model })
                {
                    file.Write(part);
                    hash.AppendData(part);
                }

                file.Write(hash.GetHashAndReset());
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp)) File.Delete(temp);
            throw;
        }
    }
}
