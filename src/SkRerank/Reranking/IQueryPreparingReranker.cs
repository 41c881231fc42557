namespace SkRerank.Reranking;

/// <summary>
/// A reranker whose query-side work (e.g. embedding the query with its own models) does not depend on the candidates,
/// so a search can start it while the first stage is still running. <see cref="Search.MovieSearchService"/> does when
/// <see cref="Search.MovieSearchOptions.RerankerQueryHeadStart"/> is set.
/// </summary>
public interface IQueryPreparingReranker : IReranker
{
    /// <summary>
    /// Starts the query-side work for <paramref name="query"/> (the same text later passed to
    /// <see cref="IReranker.RerankAsync"/>). Results must not depend on whether it was called.
    /// </summary>
    Task PrepareQueryAsync(string query, CancellationToken cancellationToken = default);
}
