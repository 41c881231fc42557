using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using SkRerank.DependencyInjection;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Plugin;
using SkRerank.Reranking;
using SkRerank.Search;
using SkRerank.VectorStore;

// In this namespace so that the registration shows up wherever services are configured, like Microsoft's own Add* methods.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the two-stage movie search and its <c>search_movies</c> plugin.</summary>
public static class MovieSearchServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MovieSearchService"/>, <see cref="MovieIndexer"/>, <see cref="MovieCatalog"/>,
    /// <see cref="MovieSearchPlugin"/> and the plugin as a <see cref="KernelPlugin"/> named
    /// <see cref="MovieSearchPlugin.PluginName"/> (so a kernel built from these services has it in
    /// <see cref="Kernel.Plugins"/>). Safe to call more than once; options accumulate.
    /// </summary>
    /// <remarks>
    /// The search uses the registered <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings (required), the
    /// registered <see cref="IReranker"/> (optional) and the registered <see cref="VectorStoreCollection{TKey, TRecord}"/>
    /// of <see cref="Movie"/> (an in-memory one when none is registered); the returned builder picks others for the
    /// movie search alone. Nothing is indexed here: call
    /// <c>await services.GetRequiredService&lt;MovieIndexer&gt;().IndexAsync(movies)</c> once the container is built
    /// (idempotent), or skip it for a collection that is already indexed.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the search settings.</param>
    /// <returns>A builder to choose the embedding generator, collection or reranker.</returns>
    public static MovieSearchBuilder AddMovieSearch(this IServiceCollection services, Action<MovieSearchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new MovieSearchBuilder(services);
        if (configure is not null) services.Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(MovieSearchRegistered))) return builder;
        services.AddSingleton<MovieSearchRegistered>();

        services.AddOptions<MovieSearchOptions>().ValidateDataAnnotations();
        services.TryAddSingleton<MovieCatalog>();
        services.TryAddSingleton<VectorStoreCollection<int, Movie>>(CreateDefaultCollection);
        services.TryAddSingleton(sp => new MovieSearchService(
            ResolveCollection(sp),
            Traced(ResolveEmbeddingGenerator(sp), sp),
            ResolveReranker(sp),
            sp.GetRequiredService<MovieCatalog>(),
            sp.GetRequiredService<IOptions<MovieSearchOptions>>(),
            sp.GetService<ILogger<MovieSearchService>>(),
            ResolveSecondaryEmbeddingGenerator(sp) is { } secondary ? Traced(secondary, sp) : null));
        services.TryAddSingleton(sp => new MovieIndexer(
            ResolveCollection(sp),
            ResolveEmbeddingGenerator(sp),
            sp.GetRequiredService<MovieCatalog>(),
            sp.GetService<ILogger<MovieIndexer>>(),
            sp.GetServices<IMovieIndexWarmUp>())
        {
            EmbeddingFields = sp.GetRequiredService<IOptions<MovieSearchOptions>>().Value.EmbeddingFields,
            SecondaryEmbeddingGenerator = ResolveSecondaryEmbeddingGenerator(sp),
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMovieIndexWarmUp, RerankerWarmUp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMovieIndexWarmUp, KeywordIndexWarmUp>());
        services.TryAddSingleton<MovieSearchPlugin>();
        // KernelBuilder.Build() and AddKernel() give a kernel every registered KernelPlugin.
        services.AddSingleton(sp => KernelPluginFactory.CreateFromObject(
            sp.GetRequiredService<MovieSearchPlugin>(), MovieSearchPlugin.PluginName, sp.GetService<ILoggerFactory>()));
        return builder;
    }

    /// <summary>The movie search's embedding generator: keyed under <see cref="MovieSearchBuilder.ServiceKey"/>, else the unkeyed one.</summary>
    internal static IEmbeddingGenerator<string, Embedding<float>> ResolveEmbeddingGenerator(IServiceProvider services) =>
        services.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(MovieSearchBuilder.ServiceKey)
        ?? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()
        ?? throw new InvalidOperationException(
            "The movie search needs an IEmbeddingGenerator<string, Embedding<float>>: use AddLocalMovieSearch() (SkRerank.Onnx) or " +
            "AddTogetherMovieSearch(), register one (e.g. AddOnnxEmbeddingGenerator, AddEmbeddingGenerator), or call UseEmbeddingGenerator on the builder AddMovieSearch returns.");

    /// <summary>The movie search's second first-stage model, if one was chosen (keyed under <see cref="MovieSearchBuilder.SecondaryServiceKey"/> only).</summary>
    internal static IEmbeddingGenerator<string, Embedding<float>>? ResolveSecondaryEmbeddingGenerator(IServiceProvider services) =>
        services.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(MovieSearchBuilder.SecondaryServiceKey);

    /// <summary>
    /// The definition of a <see cref="Movie"/> collection for the movie search's models: <see cref="Movie.Embedding"/>
    /// sized for the first model (the attribute's 384 when it does not say) and, with a second model,
    /// <see cref="Movie.SecondaryEmbedding"/>; each embeds string search values as queries. <see langword="null"/> (the
    /// attributes apply) when neither model adds anything. Both stores (in-memory, PostgreSQL) are created from it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The second model does not report its dimensions.</exception>
    internal static VectorStoreCollectionDefinition? CollectionDefinition(
        IServiceProvider services, IEmbeddingGenerator<string, Embedding<float>> generator, QueryEmbeddingGenerator queryGenerator)
    {
        var dimensions = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions;
        var secondary = ResolveSecondaryEmbeddingGenerator(services);
        if (dimensions is null && secondary is null) return null;
        var secondaryDimensions = secondary is null ? (int?)null
            : secondary.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions
              ?? throw new InvalidOperationException(
                  "The movie search's second embedding model does not report its dimensions (EmbeddingGeneratorMetadata.DefaultModelDimensions), so no collection can be sized for it.");
        return MovieCollectionDefinition.Create(dimensions ?? Movie.DefaultDimensions, secondaryDimensions, queryGenerator,
            secondary is null ? null : new QueryEmbeddingGenerator(secondary));
    }

    /// <summary>
    /// The query side of the search's generator behind Microsoft.Extensions.AI's OpenTelemetry decorator, on the
    /// <c>SkRerank</c> source: each query embedding is an <c>embeddings {model}</c> span with the gen_ai attributes
    /// (model, token usage) under <c>skrerank.embed_query</c>. Free while nothing listens.
    /// </summary>
    private static IEmbeddingGenerator<string, Embedding<float>> Traced(IEmbeddingGenerator<string, Embedding<float>> generator, IServiceProvider services) =>
        generator.AsBuilder().UseOpenTelemetry(services.GetService<ILoggerFactory>(), SkRerank.Telemetry.SkRerankTelemetry.ActivitySourceName).Build(services);

    /// <summary>The movie search's collection: keyed under <see cref="MovieSearchBuilder.ServiceKey"/>, else the unkeyed one (the in-memory default unless replaced).</summary>
    internal static VectorStoreCollection<int, Movie> ResolveCollection(IServiceProvider services) =>
        services.GetKeyedService<VectorStoreCollection<int, Movie>>(MovieSearchBuilder.ServiceKey)
        ?? services.GetRequiredService<VectorStoreCollection<int, Movie>>();

    /// <summary>The movie search's reranker, if any: keyed under <see cref="MovieSearchBuilder.ServiceKey"/>, else the unkeyed one.</summary>
    internal static IReranker? ResolveReranker(IServiceProvider services) =>
        services.GetKeyedService<MovieSearchBuilder.NoRerankerChoice>(MovieSearchBuilder.ServiceKey) is not null
            ? null
            : services.GetKeyedService<IReranker>(MovieSearchBuilder.ServiceKey) ?? services.GetService<IReranker>();

    private static VectorStoreCollection<int, Movie> CreateDefaultCollection(IServiceProvider services)
    {
        var generator = ResolveEmbeddingGenerator(services);
        // The collection embeds string search values without options; asymmetric models must see them as queries.
        var queryGenerator = new QueryEmbeddingGenerator(generator);
        return new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions
        {
            Definition = CollectionDefinition(services, generator, queryGenerator),
            EmbeddingGenerator = queryGenerator,
            // The hybrid first stage the README measures: BM25 fused by weighted z-score (see MovieSearchOptions.DefaultKeywordWeight).
            HybridFusion = HybridFusionMethod.WeightedZScore,
            KeywordWeight = MovieSearchOptions.DefaultKeywordWeight,
        });
    }

    /// <summary>
    /// Builds the in-memory collection's keyword index when movies are indexed, so the first hybrid search does not
    /// analyze every movie.
    /// </summary>
    private sealed class KeywordIndexWarmUp(IServiceProvider services, IOptions<MovieSearchOptions> options) : IMovieIndexWarmUp
    {
        public Task WarmUpAsync(IReadOnlyList<Movie> movies, CancellationToken cancellationToken = default)
        {
            if (options.Value.FirstStage == FirstStageMode.Hybrid && ResolveCollection(services) is InMemoryVectorStoreCollection<int, Movie> memory)
                memory.EnsureKeywordIndex();
            return Task.CompletedTask;
        }
    }

    /// <summary>Marks the services as registered, so that a second call only adds options.</summary>
    private sealed class MovieSearchRegistered;

    /// <summary>
    /// Gives a <see cref="SignalFusionReranker"/> its per-document state (second-model embeddings, BM25 statistics
    /// over the whole collection) when movies are indexed, instead of on the first search.
    /// </summary>
    private sealed class RerankerWarmUp(IServiceProvider services, IOptions<MovieSearchOptions> options) : IMovieIndexWarmUp
    {
        public Task WarmUpAsync(IReadOnlyList<Movie> movies, CancellationToken cancellationToken = default) =>
            WarmUpAsync(movies, null, cancellationToken);

        public Task WarmUpAsync(IReadOnlyList<Movie> movies, IProgress<IndexProgress>? progress, CancellationToken cancellationToken = default)
        {
            // GetService sees through decorators (logging, OpenTelemetry), so a decorated reranker still warms up.
            if (ResolveReranker(services)?.GetService<SignalFusionReranker>() is not { } fusion) return Task.CompletedTask;
            var texts = movies.Select(m => MovieText.Compose(m, options.Value.RerankFields)).ToList();
            return fusion.WarmUpAsync(texts, progress, cancellationToken);
        }
    }
}
