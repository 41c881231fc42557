namespace SkRerank.Search;

/// <summary>One search.</summary>
public sealed record MovieSearchRequest
{
    /// <summary>What the user is looking for, in natural language.</summary>
    public required string Query { get; init; }

    /// <summary>How many results to return; <see langword="null"/> uses <see cref="MovieSearchOptions.TopN"/>.</summary>
    public int? TopN { get; init; }

    /// <summary>How many first-stage candidates to rerank; <see langword="null"/> uses <see cref="MovieSearchOptions.Candidates"/>.</summary>
    public int? Candidates { get; init; }

    /// <summary>Only movies of this genre (e.g. "Science Fiction"; "sci-fi" is understood).</summary>
    public string? Genre { get; init; }

    /// <summary>Only movies by this director (matched case-insensitively against the indexed names).</summary>
    public string? Director { get; init; }

    /// <summary>Skip the reranking stage (first-stage results only).</summary>
    public bool SkipReranking { get; init; }
}
