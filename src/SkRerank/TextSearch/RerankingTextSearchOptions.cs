using System.ComponentModel.DataAnnotations;

namespace SkRerank.TextSearch;

/// <summary>Settings of a <see cref="RerankingTextSearch"/> or <see cref="RerankingTextSearch{TRecord}"/>.</summary>
public sealed class RerankingTextSearchOptions
{
    /// <summary>The largest candidate pool a search may ask the inner search for.</summary>
    public const int MaxCandidatePool = 500;

    /// <summary>
    /// How many results the inner search retrieves for the reranker (the cookbook reranks 25). Must cover the results
    /// asked for (<c>Skip + Top</c>); a smaller pool is an error, since reranking could not fill the page.
    /// </summary>
    [Range(1, MaxCandidatePool)]
    public int CandidatePool { get; set; } = 25;

    /// <summary>Reranked results scoring below this are dropped; <see langword="null"/> keeps all. Scales differ per reranker.</summary>
    public double? MinRelevanceScore { get; set; }

    /// <summary>
    /// When the reranker fails, return the inner search's order (metadata <see cref="RerankedTextSearchMetadata.Reranked"/>
    /// false, the reason in <see cref="RerankedTextSearchMetadata.RerankError"/>, and a logged warning) instead of
    /// failing the search, like the movie search does.
    /// </summary>
    public bool FailOpen { get; set; } = true;
}
