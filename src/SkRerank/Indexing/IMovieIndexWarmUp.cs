using SkRerank.Movies;

namespace SkRerank.Indexing;

/// <summary>
/// Prepares per-movie state once movies are indexed, so that the first search does not pay for it (for example the
/// offline reranker's second-model embeddings and BM25 corpus statistics). Registered services of this type run at
/// the end of every <see cref="MovieIndexer.IndexAsync(IReadOnlyList{Movie}, IProgress{IndexProgress}, CancellationToken)"/>.
/// </summary>
public interface IMovieIndexWarmUp
{
    /// <summary>Called with the movies just indexed.</summary>
    Task WarmUpAsync(IReadOnlyList<Movie> movies, CancellationToken cancellationToken = default);

    /// <summary>Called with the movies just indexed; a warm-up that takes a while reports to <paramref name="progress"/>.</summary>
    Task WarmUpAsync(IReadOnlyList<Movie> movies, IProgress<IndexProgress>? progress, CancellationToken cancellationToken = default) =>
        WarmUpAsync(movies, cancellationToken);
}
