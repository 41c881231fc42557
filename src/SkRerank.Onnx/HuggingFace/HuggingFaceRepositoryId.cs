using System.Text.RegularExpressions;

namespace SkRerank.Onnx.HuggingFace;

/// <summary>A model repository on the Hugging Face Hub, "owner/name", at a revision (branch, tag or commit; "main" by default).</summary>
public sealed partial record HuggingFaceRepositoryId
{
    /// <summary>The default branch.</summary>
    public const string DefaultRevision = "main";

    private HuggingFaceRepositoryId(string owner, string name, string revision)
    {
        Owner = owner;
        Name = name;
        Revision = revision;
    }

    /// <summary>The user or organisation, e.g. "BAAI".</summary>
    public string Owner { get; }

    /// <summary>The repository name, e.g. "bge-base-en-v1.5".</summary>
    public string Name { get; }

    /// <summary>Branch, tag or 40-hex commit.</summary>
    public string Revision { get; init; }

    /// <summary>"owner/name".</summary>
    public string Id => $"{Owner}/{Name}";

    /// <summary>Whether <see cref="Revision"/> is a commit id, which never changes content.</summary>
    public bool IsCommit => CommitPattern().IsMatch(Revision);

    /// <summary>Parses "owner/name" or "owner/name@revision".</summary>
    /// <exception cref="ArgumentException">Not of that form, or with characters the Hub does not allow in names.</exception>
    public static HuggingFaceRepositoryId Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var at = value.IndexOf('@');
        var id = at < 0 ? value : value[..at];
        var revision = at < 0 ? DefaultRevision : value[(at + 1)..];
        var parts = id.Split('/');
        if (parts.Length != 2 || !parts.All(p => NamePattern().IsMatch(p) && p is not ("." or "..")) || !RevisionPattern().IsMatch(revision))
        {
            throw new ArgumentException($"'{value}' is not a Hugging Face model id of the form owner/name (optionally @revision).", nameof(value));
        }

        return new HuggingFaceRepositoryId(parts[0], parts[1], revision);
    }

    /// <inheritdoc />
    public override string ToString() => Revision == DefaultRevision ? Id : $"{Id}@{Revision}";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")]
    private static partial Regex NamePattern();

    // Branch and tag names as the Hub shows them; no path separators that could climb out of the cache folder.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex RevisionPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
