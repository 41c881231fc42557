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
    /// <param name="secondaryEmbeddingGenerator">
    /// A second model whose query embedding is searched against <see cref="Movie.SecondaryEmbedding"/> and fused with the
    /// first stage's own ranking (<see cref="Indexing.MovieIndexer"/> must have indexed with it); <see langword="null"/> searches one model.
    /// </param>
    public MovieSearchService(
        VectorStoreCollection<int, Movie> collection,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        IReranker? reranker,
        MovieCatalog catalog,
        IOptions<MovieSearchOptions> options,
        ILogger<MovieSearchService>? logger = null,
        IEmbeddingGenerator<string, Embedding<float>>? secondaryEmbeddingGenerator = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        EmbeddingGenerator = embeddingGenerator ?? throw new ArgumentNullException(nameof(embeddingGenerator));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        var rerankFields = _options.RerankFields;
        SecondaryEmbeddingGenerator = secondaryEmbeddingGenerator;
        var searchOptions = new TwoStageSearchOptions<Movie>
        {
            Candidates = _options.Candidates,
            TopN = _options.TopN,
            MinRelevanceScore = _options.MinRelevanceScore,
            FailOpen = _options.FailOpen,
            Timeout = _options.Timeout,
            FirstStage = _options.FirstStage,
            RerankerQueryHeadStart = _options.RerankerQueryHeadStart,
            RerankText = movie => MovieText.Compose(movie, rerankFields),
            // Embeddings and BM25 cannot read "not X" (QueryExclusion); the reranker sees the whole query, since
            // model-based rerankers do read negation.
            FirstStageQuery = QueryExclusion.Wanted,
            RecordKey = movie => movie.Id,
        };
        if (secondaryEmbeddingGenerator is not null)
        {
            // Two vector properties: each ranking names its own. Equal weights: each model's ranking counts as much.
            searchOptions.VectorProperty = movie => movie.Embedding;
            searchOptions.AdditionalVectors.Add(new FirstStageVector<Movie>(secondaryEmbeddingGenerator, movie => movie.SecondaryEmbedding));
        }
        _search = new TwoStageSearch<int, Movie>(collection, embeddingGenerator, reranker, searchOptions, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>The largest candidate pool (and top_n) a search may ask for.</summary>
    public const int MaxCandidates = TwoStageSearchOptions<Movie>.MaxCandidates;

    /// <summary>
    /// The longest query accepted, in characters. The models read 512 tokens at most; a longer query is a mistake (or an
    /// attack on memory), not a description.
    /// </summary>
    public const int MaxQueryLength = 10_000;

    /// <summary>The settings in use.</summary>
    public MovieSearchOptions Options => _options;

    /// <summary>The reranker, if any.</summary>
    public IReranker? Reranker => _search.Reranker;

    /// <summary>Embeds queries (and, through <see cref="Indexing.MovieIndexer"/>, movies) for the first stage.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator { get; }

    /// <summary>The second model of a first stage that fuses two (<see cref="Movie.SecondaryEmbedding"/>), if any.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? SecondaryEmbeddingGenerator { get; }

    /// <summary>The searched collection.</summary>
    public VectorStoreCollection<int, Movie> Collection => _search.Collection;

    /// <summary>Resolves genre and director filter values.</summary>
    public MovieCatalog Catalog => _catalog;

    /// <summary>The generic two-stage search this service runs on (for evaluation and other record-level callers).</summary>
    public TwoStageSearch<int, Movie> Engine => _search;

    /// <summary>Runs both stages.</summary>
    /// <exception cref="SearchArgumentException">The query is empty or too long, top_n / candidates is out of range, or the genre or director is unknown or ambiguous; the message says which.</exception>
    public async Task<MovieSearchResponse> SearchAsync(MovieSearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Query))
            throw new SearchArgumentException("The search query is empty; describe the movie you are looking for.", "query");
        if (request.Query.Length > MaxQueryLength)
            throw new SearchArgumentException(
                $"The search query is {request.Query.Length:N0} characters long; the limit is {MaxQueryLength:N0}. Describe the movie in a few sentences.", "query");
        var topN = request.TopN ?? _options.TopN;
        // Agents are held to MaxTopN by the plugin; library callers (evaluation) may rank the whole candidate pool.
        if (topN is < 1 or > MaxCandidates)
            throw new SearchArgumentException($"top_n must be between 1 and {MaxCandidates}, but was {topN}.", "top_n");
        // Fewer candidates than results cannot fill the answer: say so instead of quietly reranking more.
        if (request.Candidates is { } requested && requested < topN)
            throw new SearchArgumentException($"candidates ({requested}) must be at least top_n ({topN}): the reranker picks the top {topN} from the candidates.", "candidates");
        if (request.Candidates is > MaxCandidates)
            throw new SearchArgumentException($"candidates must be at most {MaxCandidates}, but was {request.Candidates}.", "candidates");
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
                ?? throw new SearchArgumentException($"Unknown genre '{genre.Trim()}'. Known genres: {string.Join(", ", MovieGenres.Known)}.", "genre");
        }
        var canonicalDirector = string.IsNullOrWhiteSpace(director) ? null : _catalog.ResolveDirector(director);
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
