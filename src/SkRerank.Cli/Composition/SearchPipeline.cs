using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Reranking;
using SkRerank.Search;
using SkRerank.VectorStore;

namespace SkRerank.Cli.Composition;

/// <summary>
/// The CLI's composition root: dataset, embedding generator (with the disk cache), in-memory collection, reranker and
/// search service, built from <see cref="PipelineSettings"/> and indexed before first use.
/// </summary>
internal sealed class SearchPipeline : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];
    private Func<Action<MovieSearchOptions>, MovieSearchService> _createSearch = null!;

    private SearchPipeline(ILoggerFactory loggerFactory) => LoggerFactory = loggerFactory;

    public ILoggerFactory LoggerFactory { get; }
    public required IReadOnlyList<Movie> Movies { get; init; }
    public required string DatasetPath { get; init; }
    public required IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator { get; init; }
    public required VectorStoreCollection<int, Movie> Collection { get; init; }
    public required MovieCatalog Catalog { get; init; }
    public required MovieSearchService Search { get; init; }
    public required IndexReport IndexReport { get; init; }
    public required string FirstStageName { get; init; }
    public IReranker? Reranker => Search.Reranker;

    /// <summary>
    /// Another search service over the same indexed collection, models and reranker, with the pipeline's options changed
    /// by <paramref name="configure"/> (the benchmark compares settings side by side without re-indexing).
    /// </summary>
    public MovieSearchService CreateSearch(Action<MovieSearchOptions> configure) => _createSearch(configure);

    /// <summary>Builds and indexes a pipeline.</summary>
    public static async Task<SearchPipeline> BuildAsync(
        PipelineSettings settings, ILoggerFactory loggerFactory, TextWriter progressWriter, CancellationToken cancellationToken,
        Action<MovieSearchOptions>? configureSearch = null)
    {
        var owned = new List<IDisposable>();
        try
        {
            return await BuildCoreAsync(settings, loggerFactory, progressWriter, owned, configureSearch, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Models load in the background from the start; a failed build must not leave them behind.
            for (var i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
            throw;
        }
    }

    private static async Task<SearchPipeline> BuildCoreAsync(
        PipelineSettings settings, ILoggerFactory loggerFactory, TextWriter progressWriter, List<IDisposable> owned,
        Action<MovieSearchOptions>? configureSearch, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("SkRerank.Cli");
        var cacheDirectory = CacheDirectory.Resolve(settings.CacheDir);
        var components = new ComponentFactory(settings, loggerFactory, cacheDirectory)
        {
            DownloadProgressWriter = settings.ShowProgress ? progressWriter : null,
        };
        components.StartLoadingLocalModels(owned);
        var locator = new MovieDatasetLocator(logger: logger);
        var datasetPath = await locator.LocateAsync(settings.Dataset, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (locator.Downloaded) progressWriter.WriteLine($"Downloaded the cookbook's movies.json to {datasetPath}");
        var movies = await MovieDataset.LoadAsync(datasetPath, cancellationToken).ConfigureAwait(false);

        var embedder = await components.CreateEmbeddingGeneratorAsync(settings.EffectiveEmbeddings, owned, cancellationToken).ConfigureAwait(false);
        var cached = components.Cached(embedder, owned);

        // Remote models of unknown size tell us by embedding one text (a document, so the disk cache keeps it).
        var dimensions = cached.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions
            ?? (await cached.GenerateAsync([movies[0].ToEmbeddingText()], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector.Length;
        var queryEmbedder = new QueryEmbeddingGenerator(cached);
        var collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(dimensions, queryEmbedder),
            EmbeddingGenerator = queryEmbedder,
            HybridFusion = HybridFusionMethod.WeightedZScore,
            KeywordWeight = MovieSearchOptions.DefaultKeywordWeight,
        });
        owned.Add(collection);

        var catalog = new MovieCatalog();
        var indexer = new MovieIndexer(collection, cached, catalog, loggerFactory.CreateLogger<MovieIndexer>());
        var progress = settings.ShowProgress ? new Output.ProgressBar($"Embedding {movies.Count} movies ({embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId})", progressWriter) : null;
        var report = await indexer.IndexAsync(movies, cached.Count >= movies.Count ? null : progress, cancellationToken).ConfigureAwait(false);

        MovieSearchOptions CreateOptions()
        {
            var created = new MovieSearchOptions
            {
                Candidates = settings.Candidates,
                MinRelevanceScore = settings.MinScore,
                FailOpen = !settings.FailClosed,
            };
            if (settings.RerankFields is { } fields) created.RerankFields = fields;
            if (settings.FirstStage is { } firstStage)
                created.FirstStage = Enum.TryParse<FirstStageMode>(firstStage, ignoreCase: true, out var mode)
                    ? mode
                    : throw new CliException($"Unknown --first-stage '{firstStage}'; use vector or hybrid.");
            configureSearch?.Invoke(created);
            return created;
        }

        var options = CreateOptions();

        // The first hybrid search would build the keyword index (analyzing every movie); build it beside the reranker's
        // warm-up instead, off the query path.
        var keywordIndex = options.FirstStage == FirstStageMode.Hybrid
            ? Task.Run(collection.EnsureKeywordIndex, cancellationToken)
            : Task.CompletedTask;
        var reranker = await components.CreateRerankerAsync(settings.EffectiveReranker, movies, owned, cancellationToken).ConfigureAwait(false);
        await keywordIndex.ConfigureAwait(false);
        MovieSearchService CreateSearch(MovieSearchOptions searchOptions) =>
            new(collection, cached, reranker, catalog, Options.Create(searchOptions), loggerFactory.CreateLogger<MovieSearchService>());
        var search = CreateSearch(options);

        var pipeline = new SearchPipeline(loggerFactory)
        {
            Movies = movies,
            DatasetPath = datasetPath,
            EmbeddingGenerator = cached,
            Collection = collection,
            Catalog = catalog,
            Search = search,
            IndexReport = report,
            FirstStageName = (options.FirstStage == FirstStageMode.Hybrid ? "hybrid BM25 + " : "vector search, ")
                             + (embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? settings.EffectiveEmbeddings),
        };
        pipeline._createSearch = configure =>
        {
            var variant = CreateOptions();
            configure(variant);
            return CreateSearch(variant);
        };
        pipeline._owned.AddRange(owned);
        return pipeline;
    }

    public ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        return ValueTask.CompletedTask;
    }
}
