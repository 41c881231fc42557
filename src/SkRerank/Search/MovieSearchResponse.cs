using SkRerank.Reranking;

namespace SkRerank.Search;

/// <summary>The outcome of a two-stage search: the first-stage candidates, the reranked results and timings.</summary>
public sealed record MovieSearchResponse
{
    /// <summary>The query as searched.</summary>
    public required string Query { get; init; }

    /// <summary>First-stage candidates in first-stage order.</summary>
    public required IReadOnlyList<SearchCandidate> Candidates { get; init; }

    /// <summary>The results: reranked order when <see cref="Reranked"/>, first-stage order otherwise.</summary>
    public required IReadOnlyList<SearchResult> Results { get; init; }

    /// <summary>Whether the reranker ordered <see cref="Results"/>. False when reranking was skipped or failed (fail-open).</summary>
    public required bool Reranked { get; init; }

    /// <summary>Why reranking did not happen, when it was attempted and failed.</summary>
    public string? RerankError { get; init; }

    /// <summary>The reranker used, if any.</summary>
    public RerankerMetadata? Reranker { get; init; }

    /// <summary>Time spent in each stage.</summary>
    public required SearchTimings Timings { get; init; }
}
