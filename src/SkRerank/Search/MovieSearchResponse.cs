using SkRerank.Movies;
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

/// <summary>A first-stage candidate.</summary>
/// <param name="Movie">The movie record.</param>
/// <param name="VectorScore">The first-stage score (cosine similarity, or a fused score for hybrid search).</param>
/// <param name="Rank">1-based first-stage rank.</param>
public sealed record SearchCandidate(Movie Movie, double VectorScore, int Rank);

/// <summary>A returned result.</summary>
/// <param name="Movie">The movie record.</param>
/// <param name="RelevanceScore">The reranker's score; equals <paramref name="VectorScore"/> when not reranked.</param>
/// <param name="VectorScore">The first-stage score.</param>
/// <param name="Rank">1-based final rank.</param>
/// <param name="CandidateRank">1-based first-stage rank, to see what the reranker moved.</param>
public sealed record SearchResult(Movie Movie, double RelevanceScore, double VectorScore, int Rank, int CandidateRank);

/// <summary>Per-stage wall-clock time in milliseconds.</summary>
/// <param name="EmbedMs">Embedding the query.</param>
/// <param name="SearchMs">First-stage retrieval.</param>
/// <param name="RerankMs">Reranking the candidates.</param>
public sealed record SearchTimings(double EmbedMs, double SearchMs, double RerankMs)
{
    /// <summary>Sum of the stages.</summary>
    public double TotalMs => EmbedMs + SearchMs + RerankMs;
}
