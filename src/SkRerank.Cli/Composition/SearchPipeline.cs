using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;
using SkRerank.DependencyInjection;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Reranking;
using SkRerank.Search;
using SkRerank.Together;

namespace SkRerank.Cli.Composition;

/// <summary>
/// The CLI's pipeline: the dataset plus the movie search exactly as the library registers it
/// (<c>AddLocalMovieSearch</c> / <c>AddTogetherMovieSearch</c> and the builder's choices, see
/// <see cref="ComponentFactory"/>), resolved from a service provider and indexed before first use.
/// </summary>
internal sealed class SearchPipeline : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];
    private ServiceProvider _services = null!;

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
    /// <summary>What a first-stage score is, for the table's header.</summary>
    public required string FirstStageScore { get; init; }
    public IReranker? Reranker => Search.Reranker;

    /// <summary>
    /// Another search service over the same indexed collection, models and reranker, with the pipeline's options changed
    /// by <paramref name="configure"/> (the benchmark compares settings side by side without re-indexing).
    /// </summary>
    public MovieSearchService CreateSearch(Action<MovieSearchOptions> configure)
    {
        var options = new MovieSearchOptions();
        foreach (var setup in _services.GetServices<IConfigureOptions<MovieSearchOptions>>()) setup.Configure(options);
        configure(options);
        return new MovieSearchService(Collection, EmbeddingGenerator, Reranker, Catalog, Options.Create(options), LoggerFactory.CreateLogger<MovieSearchService>(), Search.SecondaryEmbeddingGenerator);
    }

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
        var components = new ComponentFactory(settings, cacheDirectory) { DownloadProgressWriter = settings.ShowProgress ? progressWriter : null };
        // The same checks every command ran on its options (CliOptions.ReadSettings); here for callers that build settings in code.
        Validation.SettingsCheck.Validate(settings);
        var crossEncoder = await components.LoadCrossEncoderAsync(cancellationToken).ConfigureAwait(false);
        var namedModel = await components.LoadNamedEmbeddingModelAsync(cancellationToken).ConfigureAwait(false);
        if (crossEncoder is IDisposable disposableCrossEncoder) owned.Add(disposableCrossEncoder);

        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddLogging();
        components.Register(services, crossEncoder, namedModel).Configure(options =>
        {
            if (settings.Candidates is { } candidates) options.Candidates = candidates;
            options.MinRelevanceScore = settings.MinScore;
            options.FailOpen = !settings.FailClosed;
            options.Timeout = settings.Timeout;
            if (settings.RerankFields is { } fields) options.RerankFields = fields;
            if (settings.FirstStage is { } firstStage) options.FirstStage = Enum.Parse<FirstStageMode>(firstStage, ignoreCase: true);
            configureSearch?.Invoke(options);
        });
        var provider = services.BuildServiceProvider();
        owned.Add(new LoadingModels(provider, LoadModelsAsync(provider, cancellationToken)));

        var locator = new MovieDatasetLocator(logger: logger);
        var datasetPath = await locator.LocateAsync(settings.Dataset, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (locator.Downloaded) progressWriter.WriteLine($"Downloaded the cookbook's movies.json to {datasetPath}");
        var movies = await MovieDataset.LoadAsync(datasetPath, cancellationToken).ConfigureAwait(false);

        await Output.SlowPhase.WaitAsync(((LoadingModels)owned[^1]).Loading,
            settings.ShowProgress ? progressWriter : null,
            $"Loading {settings.EffectiveEmbeddings} (a first run quantizes the model to int8 and keeps it in the cache folder)").ConfigureAwait(false);
        var search = provider.GetRequiredService<MovieSearchService>();
        var generator = search.EmbeddingGenerator;

        var indexer = provider.GetRequiredService<MovieIndexer>();
        var diskCache = generator.GetService<DiskCachingEmbeddingGenerator>();
        var modelId = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        var secondModelId = search.SecondaryEmbeddingGenerator?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        var progress = settings.ShowProgress && (diskCache is null || diskCache.Count < movies.Count)
            ? new Output.ProgressBar($"Embedding {movies.Count} movies ({modelId}{(secondModelId is null ? "" : " and " + secondModelId)})", progressWriter)
            : null;
        using var warmUpProgress = settings.ShowProgress && settings.EffectiveReranker == "local"
            ? new Output.ProgressBar("Preparing the reranker (all-MiniLM-L6-v2 reads every movie: its vector and its token vectors)", progressWriter, showAfter: Output.SlowPhase.Threshold)
            : null;
        var report = await indexer.IndexAsync(movies, progress, warmUpProgress, cancellationToken).ConfigureAwait(false);

        var pipeline = new SearchPipeline(loggerFactory)
        {
            Movies = movies,
            DatasetPath = datasetPath,
            EmbeddingGenerator = generator,
            Collection = search.Collection,
            Catalog = search.Catalog,
            Search = search,
            IndexReport = report,
            FirstStageName = (search.Options.FirstStage == FirstStageMode.Hybrid ? "hybrid BM25 + " : "vector search, ")
                             + (modelId ?? settings.EffectiveEmbeddings)
                             + (secondModelId is null ? "" : " + " + secondModelId),
            FirstStageScore = search.Options.FirstStage == FirstStageMode.Hybrid ? "dense + BM25 fused z-score"
                : secondModelId is not null ? "the models' cosines fused by z-score"
                : "cosine similarity",
        };
        pipeline._services = provider;
        pipeline._owned.AddRange(owned);
        return pipeline;
    }

    /// <summary>
    /// Resolves the search (which loads its ONNX sessions) and runs each local model once, on a thread-pool thread while
    /// the dataset loads: a session takes about half a second to load and its first run is slow too, so doing both off
    /// the critical path shortens start-up.
    /// </summary>
    private static Task LoadModelsAsync(IServiceProvider services, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        await LocalMovieSearchBuilderExtensions.LoadLocalModelsAsync(services, cancellationToken).ConfigureAwait(false);
        // A Together model of unknown size learns it from one call, before the collection is created for it.
        var generator = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(MovieSearchBuilder.ServiceKey);
        if (generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions is null
            && generator.GetService<TogetherEmbeddingGenerator>() is { } together)
        {
            await together.GetDimensionsAsync(cancellationToken).ConfigureAwait(false);
        }
        services.GetRequiredService<MovieSearchService>();
    }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Disposes the services after the background model load ends: a process that exits (say, on a bad dataset) while
    /// ONNX Runtime is still building a session on another thread crashes in native code.
    /// </summary>
    private sealed class LoadingModels(ServiceProvider services, Task loading) : IDisposable
    {
        // A load takes about a second (more when it quantizes under load); this only bounds a hung one.
        private static readonly TimeSpan LoadWait = TimeSpan.FromSeconds(60);

        public Task Loading => loading;

        public void Dispose()
        {
            try
            {
                loading.Wait(LoadWait);
            }
            catch (AggregateException)
            {
                // A failed load was reported where the model was used.
            }
            services.Dispose();
        }
    }
}
