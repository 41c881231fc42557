namespace SkRerank.Postgres;

/// <summary>Quotes identifiers (schema, table, column and index names); values never go through here.</summary>
internal static class SqlIdentifier
{
    /// <summary>PostgreSQL truncates identifiers longer than this many bytes.</summary>
    public const int MaxLength = 63;

    /// <summary>Returns <paramref name="name"/> as a quoted identifier, with embedded quotes doubled.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long, or holds a NUL character.</exception>
    public static string Quote(string name)
    {
        Validate(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static void Validate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"The name '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' holds a NUL character.", nameof(name));
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxLength)
            throw new ArgumentException($"The name '{name}' is longer than PostgreSQL's {MaxLength}-byte identifier limit.", nameof(name));
    }

    /// <summary>An index name for <paramref name="table"/> and <paramref name="column"/> that fits the identifier limit.</summary>
    public static string IndexName(string table, string column, string suffix)
    {
        var name = $"{table}_{column}_{suffix}";
        if (System.Text.Encoding.UTF8.GetByteCount(name) <= MaxLength) return name;
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..12].ToLowerInvariant();
        return $"skrerank_{suffix}_{hash}";
    }
}
