using System.ComponentModel.DataAnnotations;
using SkRerank.Movies;

namespace SkRerank.Search;

/// <summary>Settings of the two-stage movie search.</summary>
public sealed class MovieSearchOptions
{
    /// <summary>
    /// Weight of BM25 against dense similarity in the hybrid first stage (z-score fusion); 0.3 was best on the dev
    /// queries, with 0.3–0.5 all within 0.01 nDCG@5.
    /// </summary>
    public const double DefaultKeywordWeight = 0.3;

    /// <summary>Largest <c>top_n</c> a caller may ask for.</summary>
    public const int MaxTopN = 20;

    /// <summary>How many candidates the first stage retrieves for the reranker (the cookbook uses 25).</summary>
    [Range(1, MovieSearchService.MaxCandidates)]
    public int Candidates { get; set; } = 25;

    /// <summary>How many results are returned after reranking (the cookbook uses 5).</summary>
    [Range(1, MaxTopN)]
    public int TopN { get; set; } = 5;

    /// <summary>Reranked results scoring below this are dropped; <see langword="null"/> keeps all. Scales differ per reranker.</summary>
    public double? MinRelevanceScore { get; set; }

    /// <summary>
    /// Which movie fields the reranker reads: all of them by default (title, overview, tagline, director, genres), so
    /// "Christopher Nolan movies" and "horror" can match. The cookbook sent titles only, which hides why a film matches.
    /// </summary>
    public MovieTextFields RerankFields { get; set; } = MovieTextFields.All;

    /// <summary>
    /// Which fields <see cref="Indexing.MovieIndexer"/> embeds for the first stage: title, overview and tagline by default
    /// (the cookbook's text). The offline default (<c>AddLocalMovieSearch</c>) embeds every field: director and genres
    /// lift first-stage recall, and the reranker's arctic signal then reuses the same vectors.
    /// </summary>
    public MovieTextFields EmbeddingFields { get; set; } = MovieTextFields.Default;

    /// <summary>
    /// When the reranker fails, return the first-stage order marked <c>reranked: false</c> (and log a warning) instead
    /// of failing the search.
    /// </summary>
    public bool FailOpen { get; set; } = true;

    /// <summary>
    /// The time a whole search may take; when the reranker has not answered by then, the search fails open (first-stage
    /// order, not reranked, with the reason) instead of waiting for a slow remote reranker and its retries.
    /// <see langword="null"/> (the default) sets no budget. The CLI's <c>--timeout</c> sets it.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>How the first stage retrieves candidates.</summary>
    public FirstStageMode FirstStage { get; set; } = FirstStageMode.Hybrid;

    /// <summary>
    /// Start the reranker's query-side work (its own models' query embeddings, see
    /// <see cref="Reranking.IQueryPreparingReranker"/>) on another core while the first stage embeds the query. Off by
    /// default: it lowers a lone caller's latency by the reranker's query embedding (p50 11.4 → 7.3 ms offline, on 2 cores),
    /// but that core is then busy with one search; a chat server with concurrent users gets more searches per second
    /// without it (measured in README, "Performance"). It is skipped anyway while as many searches run as there are cores.
    /// </summary>
    public bool RerankerQueryHeadStart { get; set; }
}
