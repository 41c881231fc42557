using System.Security.Cryptography;
using System.Text;

namespace SkRerank.Onnx.HuggingFace;

/// <summary>
/// Checks a downloaded file against the Hub's entity tag: the SHA-256 of the content for files stored in Git LFS
/// (<c>X-Linked-Etag</c>), the Git blob SHA-1 (<c>"blob {size}\0"</c> then the content) for files stored in Git.
/// Other tags (a mirror's own) cannot be checked and are accepted.
/// </summary>
internal static class HubChecksum
{
    /// <summary>The tag without the weak marker and quotes, lower-case.</summary>
    public static string? Normalize(string? etag)
    {
        if (string.IsNullOrWhiteSpace(etag)) return null;
        var tag = etag.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        return tag.Trim('"').ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="etag"/> is a hash this class can verify.</summary>
    public static bool IsVerifiable(string? etag) => etag is { Length: 40 or 64 } && etag.All(char.IsAsciiHexDigitLower);

    /// <summary>True when the file matches the tag, or the tag is not a hash this class knows.</summary>
    public static async Task<bool> MatchesAsync(string path, string? etag, CancellationToken cancellationToken)
    {
        if (!IsVerifiable(etag)) return true;
        using var hash = IncrementalHash.CreateHash(etag!.Length == 64 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        if (etag.Length == 40) hash.AppendData(Encoding.ASCII.GetBytes($"blob {file.Length}\0"));
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) hash.AppendData(buffer, 0, read);
        return Convert.ToHexStringLower(hash.GetHashAndReset()) == etag;
    }
}
