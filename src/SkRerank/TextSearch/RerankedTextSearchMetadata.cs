namespace SkRerank.TextSearch;

/// <summary>
/// Keys of <see cref="Microsoft.SemanticKernel.Data.KernelSearchResults{T}.Metadata"/> set by the reranking text search,
/// since SK's result types carry no score.
/// </summary>
public static class RerankedTextSearchMetadata
{
    /// <summary><see langword="true"/> when the reranker ordered the results; <see langword="false"/> when it failed (fail-open, inner order).</summary>
    public const string Reranked = "skrerank.reranked";

    /// <summary>The results' relevance scores (<c>double[]</c>, one per result in result order); absent when not reranked.</summary>
    public const string RelevanceScores = "skrerank.relevance_scores";

    /// <summary>The results' 1-based ranks in the inner search (<c>int[]</c>, one per result), to see what the reranker moved.</summary>
    public const string CandidateRanks = "skrerank.candidate_ranks";

    /// <summary>Why the reranker failed, when it did (fail-open).</summary>
    public const string RerankError = "skrerank.rerank_error";

    /// <summary>The reranker's <see cref="Reranking.RerankerMetadata"/>.</summary>
    public const string Reranker = "skrerank.reranker";
}
