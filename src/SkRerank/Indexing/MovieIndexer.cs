using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.VectorData;
using SkRerank.Embeddings;
using SkRerank.Movies;

namespace SkRerank.Indexing;

/// <summary>
/// Embeds movies and upserts them into a vector store collection. Explicit and idempotent: indexing the same movies
/// again replaces them, and with a <see cref="DiskCachingEmbeddingGenerator"/> in the chain only new or changed texts
/// are embedded.
/// </summary>
public sealed partial class MovieIndexer
{
    private readonly VectorStoreCollection<int, Movie> _collection;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddingGenerator;
    private readonly MovieCatalog _catalog;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<IMovieIndexWarmUp> _warmUps;

    /// <summary>Creates an indexer.</summary>
    /// <param name="collection">Where the movies go.</param>
    /// <param name="embeddingGenerator">Embeds the movies as documents.</param>
    /// <param name="catalog">Learns the indexed movies (for filter values).</param>
    /// <param name="logger">Receives a summary line per run.</param>
    /// <param name="warmUps">Run after each indexing, e.g. to give a reranker its corpus statistics.</param>
    public MovieIndexer(
        VectorStoreCollection<int, Movie> collection,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        MovieCatalog catalog,
        ILogger<MovieIndexer>? logger = null,
        IEnumerable<IMovieIndexWarmUp>? warmUps = null)
    {
        _collection = collection ?? throw new ArgumentNullException(nameof(collection));
        _embeddingGenerator = embeddingGenerator ?? throw new ArgumentNullException(nameof(embeddingGenerator));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _warmUps = warmUps?.ToList() ?? [];
    }

    /// <summary>
    /// How many texts are embedded per call (and per progress report). <see langword="null"/> (the default) asks the
    /// generator (<see cref="EmbeddingBatching"/>: 128 × 4 = 512 for Together) and falls back to 64 for local models.
    /// </summary>
    public int? ChunkSize { get; init; }

    /// <summary>
    /// Which fields of a movie are embedded for the first stage; <see cref="MovieTextFields.Default"/> (title, overview,
    /// tagline, what the cookbook embeds) unless the search's <see cref="Search.MovieSearchOptions.EmbeddingFields"/> says otherwise.
    /// </summary>
    public MovieTextFields EmbeddingFields { get; init; } = MovieTextFields.Default;

    /// <summary>
    /// A second model that embeds the same text into <see cref="Movie.SecondaryEmbedding"/>, for a first stage that fuses
    /// two models (<see cref="Search.TwoStageSearchOptions{TRecord}.AdditionalVectors"/>); <see langword="null"/> (the
    /// default) leaves the property empty. The collection's definition must name the property.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? SecondaryEmbeddingGenerator { get; init; }

    private static bool IsDegenerate(ReadOnlySpan<float> vector)
    {
        var nonZero = false;
        foreach (var value in vector)
        {
            if (!float.IsFinite(value)) return true;
            nonZero |= value != 0;
        }
        return !nonZero;
    }

    /// <summary>
    /// Embeds <paramref name="movies"/> and upserts them. When the collection records the model of its vectors
    /// (<see cref="StoredEmbeddingModel"/>) and it is this generator's, movies it already holds with the same text keep
    /// their stored vectors (nothing is embedded for them). Embeddings are computed before any record is written, so a
    /// failure leaves the collection's records as they were.
    /// </summary>
    public Task<IndexReport> IndexAsync(
        IReadOnlyList<Movie> movies,
        IProgress<IndexProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        IndexAsync(movies, progress, warmUpProgress: null, cancellationToken);

    /// <summary>
    /// Embeds <paramref name="movies"/> and upserts them, reporting the embedding to <paramref name="progress"/> and the
    /// warm-ups that follow (e.g. the offline reranker embedding every movie with its own models) to
    /// <paramref name="warmUpProgress"/>.
    /// </summary>
    public async Task<IndexReport> IndexAsync(
        IReadOnlyList<Movie> movies,
        IProgress<IndexProgress>? progress,
        IProgress<IndexProgress>? warmUpProgress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(movies);
        var clock = Stopwatch.StartNew();
        var cache = _embeddingGenerator.GetService<DiskCachingEmbeddingGenerator>();
        var missesBefore = cache?.Misses ?? 0;

        // The collection is created (or checked, e.g. a table indexed with another model) before any model runs.
        await _collection.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
        var texts = movies.Select(m => MovieText.Compose(m, EmbeddingFields)).ToArray();
        var vectors = new ReadOnlyMemory<float>[movies.Count];
        var secondaryVectors = SecondaryEmbeddingGenerator is null ? null : new ReadOnlyMemory<float>[movies.Count];
        var missing = await ReuseStoredVectorsAsync(movies, texts, vectors, secondaryVectors, cancellationToken).ConfigureAwait(false);
        var fromStore = movies.Count - missing.Count;

        var options = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Document);
        progress?.Report(new IndexProgress(fromStore, movies.Count));
        // A remote generator parallelises inside one call; 64-text calls would leave it one request in flight.
        var chunkSize = Math.Max(1, ChunkSize ?? _embeddingGenerator.GetService<EmbeddingBatching>()?.TextsPerCall ?? 64);
        for (var start = 0; start < missing.Count; start += chunkSize)
        {
            var count = Math.Min(chunkSize, missing.Count - start);
            var chunk = missing.Skip(start).Take(count).ToList();
            var chunkTexts = chunk.Select(i => texts[i]).ToList();
            await EmbedAsync(_embeddingGenerator, chunkTexts, chunk, movies, vectors, options, cancellationToken).ConfigureAwait(false);
            if (SecondaryEmbeddingGenerator is not null)
                await EmbedAsync(SecondaryEmbeddingGenerator, chunkTexts, chunk, movies, secondaryVectors!, options, cancellationToken).ConfigureAwait(false);
            progress?.Report(new IndexProgress(fromStore + start + count, movies.Count));
        }

        var dimensions = vectors.Length > 0 ? vectors[0].Length : 0;
        if (vectors.Any(v => v.Length != dimensions) || (secondaryVectors is not null && secondaryVectors.Any(v => v.Length != secondaryVectors[0].Length)))
            throw new InvalidOperationException("The embedding generator returned vectors of different lengths.");

        var records = movies.Select((m, i) => m.WithEmbeddings(vectors[i], secondaryVectors?[i])).ToList();
        await _collection.UpsertAsync(records, cancellationToken).ConfigureAwait(false);
        if (SecondaryEmbeddingGenerator is not null && records.Count > 0)
            await CheckSecondaryVectorsStoredAsync(records[0].Id, cancellationToken).ConfigureAwait(false);
        _catalog.Add(movies); // batches add up: director filters know every indexed movie
        // Warm-ups are independent (reranker models, keyword index): side by side on a multi-core machine.
        // Counted before the warm-ups: a reranker that shares this generator embeds other texts (every movie field) through it.
        var embedded = cache is null ? missing.Count : (int)(cache.Misses - missesBefore);
        await Task.WhenAll(_warmUps.Select(w => Task.Run(() => w.WarmUpAsync(movies, warmUpProgress, cancellationToken), cancellationToken))).ConfigureAwait(false);

        if (cache is not null) await cache.FlushAsync(cancellationToken).ConfigureAwait(false);
        var report = new IndexReport(movies.Count, embedded, movies.Count - embedded, dimensions, clock.Elapsed) { FromStore = fromStore };
        LogIndexed(_logger, report.Count, report.Embedded, report.FromCache, report.FromStore, report.Dimensions, report.Elapsed.TotalSeconds);
        return report;
    }

    /// <summary>
    /// A collection whose definition lacks <see cref="Movie.SecondaryEmbedding"/> drops it without a word, and every
    /// search would then fail; say so at indexing, where the fix is (the first model's vectors are stored either way).
    /// </summary>
    private async Task CheckSecondaryVectorsStoredAsync(int id, CancellationToken cancellationToken)
    {
        var stored = await _collection.GetAsync(id, new RecordRetrievalOptions { IncludeVectors = true }, cancellationToken).ConfigureAwait(false);
        if (stored?.SecondaryEmbedding is { Length: > 0 }) return;
        var model = SecondaryEmbeddingGenerator!.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "the second model";
        throw new InvalidOperationException(
            $"The collection '{_collection.Name}' does not store {nameof(Movie)}.{nameof(Movie.SecondaryEmbedding)}, which the first stage's second model ({model}) searches. " +
            $"Create the collection with {nameof(MovieCollectionDefinition)}.{nameof(MovieCollectionDefinition.Create)}(dimensions, secondaryDimensions, …), " +
            "or search with one model (LocalMovieSearchOptions.SecondaryEmbeddingModel = null).");
    }

    private static async Task EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, List<string> texts, List<int> chunk, IReadOnlyList<Movie> movies,
        ReadOnlyMemory<float>[] vectors, EmbeddingGenerationOptions options, CancellationToken cancellationToken)
    {
        var embeddings = await generator.GenerateAsync(texts, options, cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != texts.Count)
            throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {texts.Count} movies.");
        for (var i = 0; i < texts.Count; i++)
        {
            var vector = embeddings[i].Vector;
            var movie = movies[chunk[i]];
            if (IsDegenerate(vector.Span))
                throw new DegenerateEmbeddingException(
                    $"The embedding model returned an unusable vector (all zeros or not finite) for movie #{movie.Id} (\"{movie.Title}\"); " +
                    "its similarity to any query is undefined. Check the embedding provider and model.");
            vectors[chunk[i]] = vector;
        }
    }

    /// <summary>
    /// Copies the vectors of movies the collection already holds with the same embedded text into
    /// <paramref name="vectors"/>, so that re-indexing a persistent store (PostgreSQL, …) embeds nothing it holds; returns
    /// the indexes of the movies still to embed.
    /// </summary>
    private async Task<List<int>> ReuseStoredVectorsAsync(
        IReadOnlyList<Movie> movies, string[] texts, ReadOnlyMemory<float>[] vectors, ReadOnlyMemory<float>[]? secondaryVectors,
        CancellationToken cancellationToken)
    {
        // Only a collection that vouches for its vectors' model, and only for that model: vectors of two models never mix.
        var storedModel = _collection.GetService(typeof(StoredEmbeddingModel)) as StoredEmbeddingModel;
        var model = _embeddingGenerator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        var secondaryModel = SecondaryEmbeddingGenerator?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        if (storedModel is null || model is null || (SecondaryEmbeddingGenerator is not null && secondaryModel is null)
            || storedModel.ModelId != StoredEmbeddingModel.Describe(model, EmbeddingFields, secondaryModel))
            return Enumerable.Range(0, movies.Count).ToList();

        var stored = new Dictionary<int, Movie>();
        await foreach (var movie in _collection.GetAsync(movies.Select(m => m.Id), new RecordRetrievalOptions { IncludeVectors = true }, cancellationToken)
                           .ConfigureAwait(false))
            stored[movie.Id] = movie;

        var missing = new List<int>();
        for (var i = 0; i < movies.Count; i++)
        {
            if (stored.TryGetValue(movies[i].Id, out var movie) && movie.Embedding is { Length: > 0 } vector
                && (secondaryVectors is null || movie.SecondaryEmbedding is { Length: > 0 })
                && MovieText.Compose(movie, EmbeddingFields) == texts[i])
            {
                vectors[i] = vector;
                if (secondaryVectors is not null) secondaryVectors[i] = movie.SecondaryEmbedding!.Value;
            }
            else
            {
                missing.Add(i);
            }
        }
        return missing;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexed {Count} movies ({Embedded} embedded, {Cached} from cache, of which {FromStore} already stored, {Dimensions}-d) in {Elapsed:F1} s")]
    private static partial void LogIndexed(ILogger logger, int count, int embedded, int cached, int fromStore, int dimensions, double elapsed);
}
