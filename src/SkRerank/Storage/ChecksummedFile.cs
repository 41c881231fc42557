using System.Security.Cryptography;
using System.Text;

namespace SkRerank.Storage;

/// <summary>
/// The envelope of SkRerank's cache files (embedding vectors, quantized models): a magic tag, a body, and a SHA-256
/// of everything before it, written to a temporary file and moved into place, so a reader sees the old file or the
/// new one, never half of either, and a truncated or damaged file is detected instead of used.
/// </summary>
internal static class ChecksummedFile
{
    private const int ChecksumLength = 32;

    /// <summary>Reads a file and checks its tag and checksum; returns its body (after the tag).</summary>
    /// <param name="path">The file.</param>
    /// <param name="magic">The tag the file must start with.</param>
    /// <param name="kind">What the file is, for the error, e.g. "SkRerank embedding cache file".</param>
    /// <exception cref="InvalidDataException">Not such a file, or its checksum does not match.</exception>
    public static ArraySegment<byte> ReadBody(string path, ReadOnlySpan<byte> magic, string kind)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < magic.Length + ChecksumLength || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
            throw new InvalidDataException($"not an {kind}");
        var checksummed = bytes.AsSpan(0, bytes.Length - ChecksumLength);
        if (!SHA256.HashData(checksummed).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - ChecksumLength)))
            throw new InvalidDataException("checksum mismatch (truncated or corrupted)");
        return new ArraySegment<byte>(bytes, magic.Length, checksummed.Length - magic.Length);
    }

    /// <summary>Writes <paramref name="magic"/>, the body <paramref name="writeBody"/> writes, and the checksum, atomically.</summary>
    public static void Write(string path, ReadOnlySpan<byte> magic, Action<BinaryWriter> writeBody, int capacity = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var buffer = new MemoryStream(capacity + magic.Length + ChecksumLength);
        buffer.Write(magic);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) writeBody(writer);
        buffer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));

        // Per process and thread: two writers of one file each finish their own temporary file; the last move wins.
        var temp = path + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
                file.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp)) File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Deletes temporary files that <see cref="Write"/> left beside <paramref name="path"/> when its process was killed
    /// mid-write (<c>path.PID.THREAD.tmp</c>, tens of MB for a model). Files of a live process are left alone: another
    /// process sharing the folder may be writing right now.
    /// </summary>
    public static void DeleteStaleTemporaryFiles(string path)
    {
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(folder)) return;
            var prefix = Path.GetFileName(path) + ".";
            foreach (var temp in Directory.EnumerateFiles(folder, prefix + "*.tmp"))
            {
                var parts = Path.GetFileName(temp)[prefix.Length..].Split('.');
                if (parts.Length != 3 || !int.TryParse(parts[0], out var pid) || IsRunning(pid)) continue;
                File.Delete(temp);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a folder we cannot clean is one we cannot write either; the caller finds out when it writes
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
