using System.Diagnostics;
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
/// Two-stage retrieval: the first stage finds candidates in a vector store collection (dense, or hybrid where the
/// collection supports keyword search), the second reranks them with an <see cref="IReranker"/> that reads query and
/// document together. Depends only on the Microsoft.Extensions.VectorData abstractions, so any SK connector works.
/// </summary>
public sealed class MovieSearchService
{
    private readonly VectorStoreCollection<int, Movie> _collection;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddingGenerator;
    private readonly IReranker? _reranker;
    private readonly MovieCatalog _catalog;
    private readonly MovieSearchOptions _options;
    private readonly ILogger _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string? Genre, string? Director), Expression<Func<Movie, bool>>?> _filters = new();
    private const int MaxCachedFilters = 4096;
    private int _inFlight;

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
        _collection = collection ?? throw new ArgumentNullException(nameof(collection));
        _embeddingGenerator = embeddingGenerator ?? throw new ArgumentNullException(nameof(embeddingGenerator));
        _reranker = reranker;
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The largest candidate pool (and top_n) a search may ask for.</summary>
    public const int MaxCandidates = 500;

    /// <summary>
    /// The longest query accepted, in characters. The models read 512 tokens at most; a longer query is a mistake (or an
    /// attack on memory), not a description.
    /// </summary>
    public const int MaxQueryLength = 10_000;

    /// <summary>The settings in use.</summary>
    public MovieSearchOptions Options => _options;

    /// <summary>The reranker, if any.</summary>
    public IReranker? Reranker => _reranker;

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
        var query = request.Query.Trim();
        var topN = request.TopN ?? _options.TopN;
        // Agents are held to MaxTopN by the plugin; library callers (evaluation) may rank the whole candidate pool.
        if (topN is < 1 or > MaxCandidates)
            throw new SearchArgumentException($"top_n must be between 1 and {MaxCandidates}, but was {topN}.", "top_n");
        // Fewer candidates than results cannot fill the answer: say so instead of quietly reranking more.
        if (request.Candidates is { } requested && requested < topN)
            throw new SearchArgumentException($"candidates ({requested}) must be at least top_n ({topN}): the reranker picks the top {topN} from the candidates.", "candidates");
        var candidateCount = Math.Max(request.Candidates ?? _options.Candidates, topN);
        if (candidateCount > MaxCandidates)
            throw new SearchArgumentException($"candidates must be at most {MaxCandidates}, but was {candidateCount}.", "candidates");
        var filter = BuildFilter(request.Genre, request.Director);

        // The first stage searches for what is wanted only: embeddings and BM25 cannot read "not X" (QueryExclusion).
        // The reranker sees the whole query, since model-based rerankers do read negation.
        var firstStageQuery = QueryExclusion.Wanted(query);

        // The reranker's query-side work (its own models' query embeddings) does not need the candidates: when asked to,
        // start it now, so it runs on another core while this one embeds the query for the first stage.
        // When every core already serves a search, a head start only adds thread hand-offs: RerankAsync does the work
        // itself, later.
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            if (_options.RerankerQueryHeadStart && _reranker is IQueryPreparingReranker preparer && !request.SkipReranking
                && inFlight <= Environment.ProcessorCount)
                _ = PrepareQuietlyAsync(preparer, query, cancellationToken);
            return await SearchCoreAsync(request, query, topN, candidateCount, filter, firstStageQuery, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<MovieSearchResponse> SearchCoreAsync(
        MovieSearchRequest request, string query, int topN, int candidateCount, Expression<Func<Movie, bool>>? filter, string firstStageQuery,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var embeddings = await _embeddingGenerator
            .GenerateAsync([firstStageQuery], new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query), cancellationToken)
            .ConfigureAwait(false);
        var queryVector = embeddings[0].Vector;
        var embedMs = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        var candidates = await RetrieveAsync(firstStageQuery, queryVector, candidateCount, filter, cancellationToken).ConfigureAwait(false);
        var searchMs = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        IReadOnlyList<SearchResult> results;
        var reranked = false;
        string? rerankError = null;
        if (_reranker is null || request.SkipReranking || candidates.Count == 0)
        {
            results = FirstStageResults(candidates, topN);
        }
        else
        {
            try
            {
                results = await RerankAsync(query, candidates, topN, cancellationToken).ConfigureAwait(false);
                reranked = true;
            }
            catch (Exception ex) when (_options.FailOpen && ex is not OperationCanceledException)
            {
                rerankError = ex.Message;
                _logger.LogWarning(ex, "Reranker {Provider}/{Model} failed; returning first-stage order (reranked: false). {Reason}",
                    _reranker.Metadata.ProviderName, _reranker.Metadata.ModelId, ex.Message);
                results = FirstStageResults(candidates, topN);
            }
        }
        var rerankMs = clock.Elapsed.TotalMilliseconds;

        return new MovieSearchResponse
        {
            Query = query,
            Candidates = candidates,
            Results = results,
            Reranked = reranked,
            RerankError = rerankError,
            Reranker = reranked ? _reranker?.Metadata : null,
            Timings = new SearchTimings(embedMs, searchMs, rerankMs),
        };
    }

    private static async Task PrepareQuietlyAsync(IQueryPreparingReranker preparer, string query, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Run(() => preparer.PrepareQueryAsync(query, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Only a head start: RerankAsync does the same work again and reports (or fails open on) any error.
        }
    }

    private async Task<IReadOnlyList<SearchCandidate>> RetrieveAsync(
        string query, ReadOnlyMemory<float> queryVector, int top, Expression<Func<Movie, bool>>? filter, CancellationToken cancellationToken)
    {
        IAsyncEnumerable<VectorSearchResult<Movie>> hits;
        if (_options.FirstStage == FirstStageMode.Hybrid
            && _collection.GetService(typeof(IKeywordHybridSearchable<Movie>)) is IKeywordHybridSearchable<Movie> hybrid)
        {
            var keywords = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            hits = hybrid.HybridSearchAsync(queryVector, keywords, top, new HybridSearchOptions<Movie> { Filter = filter }, cancellationToken);
        }
        else
        {
            hits = _collection.SearchAsync(queryVector, top, new VectorSearchOptions<Movie> { Filter = filter }, cancellationToken);
        }

        var candidates = new List<SearchCandidate>(top);
        await foreach (var hit in hits.ConfigureAwait(false))
            candidates.Add(new SearchCandidate(hit.Record, hit.Score ?? 0, candidates.Count + 1));
        return candidates;
    }

    private async Task<IReadOnlyList<SearchResult>> RerankAsync(
        string query, IReadOnlyList<SearchCandidate> candidates, int topN, CancellationToken cancellationToken)
    {
        var documents = candidates.Select(c => MovieText.Compose(c.Movie, _options.RerankFields)).ToList();
        var ranked = await _reranker!.RerankAsync(query, documents, new RerankOptions { TopN = Math.Min(topN, documents.Count) }, cancellationToken)
            .ConfigureAwait(false);

        var results = new List<SearchResult>(ranked.Count);
        foreach (var item in ranked.OrderByDescending(r => r.RelevanceScore))
        {
            if ((uint)item.Index >= (uint)candidates.Count)
                throw new InvalidOperationException($"The reranker returned index {item.Index} for {candidates.Count} documents.");
            if (_options.MinRelevanceScore is { } min && item.RelevanceScore < min) continue;
            var candidate = candidates[item.Index];
            results.Add(new SearchResult(candidate.Movie, item.RelevanceScore, candidate.VectorScore, results.Count + 1, candidate.Rank));
            if (results.Count == topN) break;
        }
        return results;
    }

    private static IReadOnlyList<SearchResult> FirstStageResults(IReadOnlyList<SearchCandidate> candidates, int topN) =>
        candidates.Take(topN).Select(c => new SearchResult(c.Movie, c.VectorScore, c.VectorScore, c.Rank, c.Rank)).ToList();

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
