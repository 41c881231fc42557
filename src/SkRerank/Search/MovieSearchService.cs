using System.Linq.Expressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;
using SkRerank.Embeddings;
using SkRerank.Movies;
using SkRerank.Reranking;

namespace SkRerank.Search;

/// <summary>
/// The two-stage movie search: a <see cref="TwoStageSearch{TKey, TRecord}"/> over <see cref="Movie"/> records, plus
/// what only movies have — genre and director filters resolved against the catalogue, the movie text the reranker
/// reads (<see cref="MovieSearchOptions.RerankFields"/>) and the query exclusion the first stage cannot read. Depends
/// only on the Microsoft.Extensions.VectorData abstractions, so any SK connector works.
/// </summary>
public sealed class MovieSearchService
{
    private readonly TwoStageSearch<int, Movie> _search;
    private readonly MovieCatalog _catalog;
    private readonly MovieSearchOptions _options;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string? Genre, string? Director), Expression<Func<Movie, bool>>?> _filters = new();
    private const int MaxCachedFilters = 4096;

    /// <summary>Creates the service.</summary>
    /// <param name="collection">The indexed movies.</param>
    /// <param name="embeddingGenerator">Embeds queries (called with <see cref="EmbeddingInputType.Query"/>); must be the model the collection was indexed with.</param>
    /// <param name="reranker">The second stage; <see langword="null"/> returns first-stage results.</param>
    /// <param name="catalog">Resolves filter values case-insensitively; may be empty.</param>
    /// <param name="options">Search settings.</param>
    /// <param name="logger">Receives a warning when the reranker fails.</param>
    public MovieSearchService(
        VectorStoreCollection<int, Movie> collection,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        IReranker? reranker,
        MovieCatalog catalog,
        IOptions<MovieSearchOptions> options,
        ILogger<MovieSearchService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(embeddingGenerator);
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        var rerankFields = _options.RerankFields;
        _search = new TwoStageSearch<int, Movie>(collection, embeddingGenerator, reranker, new TwoStageSearchOptions<Movie>
        {
            Candidates = _options.Candidates,
            TopN = _options.TopN,
            MinRelevanceScore = _options.MinRelevanceScore,
            FailOpen = _options.FailOpen,
            FirstStage = _options.FirstStage,
            RerankerQueryHeadStart = _options.RerankerQueryHeadStart,
            RerankText = movie => MovieText.Compose(movie, rerankFields),
            // Embeddings and BM25 cannot read "not X" (QueryExclusion); the reranker sees the whole query, since
            // model-based rerankers do read negation.
            FirstStageQuery = QueryExclusion.Wanted,
        }, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>The largest candidate pool (and top_n) a search may ask for.</summary>
    public const int MaxCandidates = TwoStageSearchOptions<Movie>.MaxCandidates;

    /// <summary>The settings in use.</summary>
    public MovieSearchOptions Options => _options;

    /// <summary>The reranker, if any.</summary>
    public IReranker? Reranker => _search.Reranker;

    /// <summary>The generic two-stage search this service runs on (for evaluation and other record-level callers).</summary>
    public TwoStageSearch<int, Movie> Engine => _search;

    /// <summary>Runs both stages.</summary>
    /// <exception cref="ArgumentException">The query is empty, or top_n / candidates / genre is out of range; the message says which.</exception>
    public async Task<MovieSearchResponse> SearchAsync(MovieSearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Query))
            throw new ArgumentException("The search query is empty; describe the movie you are looking for.", nameof(request));
        var topN = request.TopN ?? _options.TopN;
        // Agents are held to MaxTopN by the plugin; library callers (evaluation) may rank the whole candidate pool.
        if (topN is < 1 or > MaxCandidates)
            throw new ArgumentOutOfRangeException(nameof(request), topN, $"top_n must be between 1 and {MaxCandidates}, but was {topN}.");
        var filter = BuildFilter(request.Genre, request.Director);

        var response = await _search.SearchAsync(new TwoStageSearchRequest<Movie>
        {
            Query = request.Query,
            TopN = topN,
            Candidates = request.Candidates ?? _options.Candidates,
            Filter = filter,
            SkipReranking = request.SkipReranking,
        }, cancellationToken).ConfigureAwait(false);

        return new MovieSearchResponse
        {
            Query = response.Query,
            Candidates = response.Candidates.Select(c => new SearchCandidate(c.Record, c.VectorScore, c.Rank)).ToList(),
            Results = response.Results.Select(r => new SearchResult(r.Record, r.RelevanceScore, r.VectorScore, r.Rank, r.CandidateRank)).ToList(),
            Reranked = response.Reranked,
            RerankError = response.RerankError,
            Reranker = response.Reranker,
            Timings = response.Timings,
        };
    }

    private Expression<Func<Movie, bool>>? BuildFilter(string? genre, string? director)
    {
        string? canonicalGenre = null;
        if (!string.IsNullOrWhiteSpace(genre))
        {
            canonicalGenre = MovieGenres.Canonicalize(genre)
                ?? throw new ArgumentException($"Unknown genre '{genre.Trim()}'. Known genres: {string.Join(", ", MovieGenres.Known)}.", nameof(genre));
        }
        var canonicalDirector = string.IsNullOrWhiteSpace(director) ? null : _catalog.CanonicalDirector(director);
        if (canonicalGenre is null && canonicalDirector is null) return null;

        // The store compiles each filter expression instance once (a compile costs far more than a 1000-movie scan), so
        // the same filter reuses its expression. The memo is capped so that arbitrary director names cannot grow it unboundedly.
        if (_filters.TryGetValue((canonicalGenre, canonicalDirector), out var cached)) return cached;
        var filter = CreateFilter(canonicalGenre, canonicalDirector);
        if (_filters.Count < MaxCachedFilters) _filters.TryAdd((canonicalGenre, canonicalDirector), filter);
        return filter;
    }

    private static Expression<Func<Movie, bool>>? CreateFilter(string? canonicalGenre, string? canonicalDirector)
    {
        // Plain equality and List.Contains: the filter forms every VectorData connector translates.
        return (canonicalGenre, canonicalDirector) switch
        {
            (null, null) => null,
            ({ } g, null) => m => m.Genres.Contains(g),
            (null, { } d) => m => m.Director == d,
            ({ } g, { } d) => m => m.Genres.Contains(g) && m.Director == d,
        };
    }
}
