using SkRerank.Reranking;

namespace SkRerank.Search;

/// <summary>The outcome of a <see cref="TwoStageSearch{TKey, TRecord}"/>: the candidates, the results and timings.</summary>
/// <typeparam name="TRecord">The collection's record type.</typeparam>
public sealed record TwoStageSearchResponse<TRecord>
{
    /// <summary>The query as searched (trimmed).</summary>
    public required string Query { get; init; }

    /// <summary>First-stage candidates in first-stage order.</summary>
    public required IReadOnlyList<TwoStageCandidate<TRecord>> Candidates { get; init; }

    /// <summary>The results: reranked order when <see cref="Reranked"/>, first-stage order otherwise.</summary>
    public required IReadOnlyList<TwoStageResult<TRecord>> Results { get; init; }

    /// <summary>Whether the reranker ordered <see cref="Results"/>. False when reranking was skipped or failed (fail-open).</summary>
    public required bool Reranked { get; init; }

    /// <summary>Why reranking did not happen, when it was attempted and failed.</summary>
    public string? RerankError { get; init; }

    /// <summary>The reranker that ordered the results, if any.</summary>
    public RerankerMetadata? Reranker { get; init; }

    /// <summary>Time spent in each stage.</summary>
    public required SearchTimings Timings { get; init; }
}
