using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SkRerank.DependencyInjection;
using SkRerank.Embeddings;
using SkRerank.Onnx.DependencyInjection;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.Reranking;
using SkRerank.Reranking;
using SkRerank.Search;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses offline (ONNX) components of the movie search.</summary>
public static class LocalMovieSearchBuilderExtensions
{
    /// <summary>
    /// Embeds movies and queries with <paramref name="model"/>, behind a query cache and (unless
    /// <paramref name="cacheEmbeddings"/> is false) the disk cache. A model the reranker also uses is loaded once.
    /// </summary>
    /// <param name="builder">The movie search builder.</param>
    /// <param name="model">Any ONNX embedding model, e.g. <see cref="OnnxEmbeddingModel.ArcticEmbedXsInt8"/>.</param>
    /// <param name="cacheDirectory">Cache root (vectors under <c>embeddings</c>, quantized models under <c>models</c>); <see langword="null"/> uses <c>SKRERANK_CACHE_DIR</c>, else the user cache folder.</param>
    /// <param name="cacheEmbeddings">Whether document vectors are kept on disk.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static MovieSearchBuilder UseLocalEmbeddingGenerator(
        this MovieSearchBuilder builder, OnnxEmbeddingModel model, string? cacheDirectory = null, bool cacheEmbeddings = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseEmbeddingGenerator(SharedGenerator(builder, model, cacheDirectory, cacheEmbeddings));
    }

    /// <summary>
    /// Adds <paramref name="model"/> as the first stage's second model (<see cref="MovieSearchBuilder.UseSecondaryEmbeddingGenerator(IEmbeddingGenerator{string, Embedding{float}})"/>),
    /// behind the same query and disk caches; a model the reranker also uses is loaded once, and a query it embeds for
    /// the first stage is not embedded again by the reranker.
    /// </summary>
    /// <param name="builder">The movie search builder.</param>
    /// <param name="model">Any ONNX embedding model, e.g. <see cref="OnnxEmbeddingModel.MiniLmL6V2"/>.</param>
    /// <param name="cacheDirectory">Cache root; <see langword="null"/> uses <c>SKRERANK_CACHE_DIR</c>, else the user cache folder.</param>
    /// <param name="cacheEmbeddings">Whether document vectors are kept on disk.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static MovieSearchBuilder UseLocalSecondaryEmbeddingGenerator(
        this MovieSearchBuilder builder, OnnxEmbeddingModel model, string? cacheDirectory = null, bool cacheEmbeddings = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseSecondaryEmbeddingGenerator(SharedGenerator(builder, model, cacheDirectory, cacheEmbeddings));
    }

    /// <summary>
    /// Reranks with the offline <see cref="LocalFusionReranker"/>: snowflake-arctic-embed-xs (int8 unless
    /// <paramref name="quantized"/> is false) and all-MiniLM-L6-v2 (float) cosines over every movie field with one round
    /// of pseudo-relevance feedback, BM25, and MaxSim over all-MiniLM-L6-v2's token vectors; it reranks
    /// <see cref="LocalFusionReranker.DefaultCandidates"/> candidates unless the search is configured otherwise.
    /// Its per-movie state (vectors, token vectors under <c>tokens</c> in the cache) is prepared when movies are indexed.
    /// It scores the wanted part of each query (<see cref="QueryExclusionReranker"/>).
    /// </summary>
    /// <param name="builder">The movie search builder.</param>
    /// <param name="cacheDirectory">Cache root; <see langword="null"/> uses <c>SKRERANK_CACHE_DIR</c>, else the user cache folder.</param>
    /// <param name="cacheEmbeddings">Whether document vectors are kept on disk.</param>
    /// <param name="quantized">Whether the arctic signal runs in int8 (the default; MiniLM stays float, which kept nDCG@5 higher on the dev queries).</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static MovieSearchBuilder UseLocalReranker(
        this MovieSearchBuilder builder, string? cacheDirectory = null, bool cacheEmbeddings = true, bool quantized = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var arctic = quantized ? OnnxEmbeddingModel.ArcticEmbedXs.Quantized(cacheDirectory) : OnnxEmbeddingModel.ArcticEmbedXs;
        var folder = cacheEmbeddings ? CacheDirectory.Resolve(cacheDirectory) : null;
        AddModels(builder.Services);
        builder.Services.AddSingleton(new LocalModelRequest(arctic, folder));
        builder.Services.AddSingleton(new LocalModelRequest(OnnxEmbeddingModel.MiniLmL6V2, folder));
        // Reranking is cheap per candidate (vectors are precomputed), so the pool grows; an application's own Configure wins.
        builder.Configure(o => o.Candidates = LocalFusionReranker.DefaultCandidates);
        // Its signals (embeddings, BM25, token matches) cannot read "not X": they score the wanted part of the query.
        return builder.UseReranker(sp =>
        {
            var miniLm = Models(sp).Get(OnnxEmbeddingModel.MiniLmL6V2, folder);
            return LocalFusionReranker.Create(
                    new LocalFusionRerankerOptions
                    {
                        LateInteractionModel = miniLm.GetService<OnnxEmbeddingGenerator>()?.AsTokenEmbeddingGenerator(),
                        CacheDirectory = folder,
                        LoggerFactory = sp.GetService<ILoggerFactory>(),
                    },
                    Models(sp).Get(arctic, folder),
                    miniLm)
                .AsBuilder()
                .UseQueryExclusion()
                .Build(sp);
        });
    }

    /// <summary>
    /// The reranker's arctic signal runs at the first stage's precision: float when the first stage is one of the float
    /// offline models, int8 otherwise, so that with the default both stages share one arctic generator.
    /// </summary>
    internal static bool RerankerRunsQuantized(OnnxEmbeddingModel firstStage) =>
        !(ReferenceEquals(firstStage, OnnxEmbeddingModel.ArcticEmbedXs) || ReferenceEquals(firstStage, OnnxEmbeddingModel.MiniLmL6V2));

    /// <summary>Loads and runs once every local model registered in <paramref name="services"/>, side by side (start-up).</summary>
    internal static Task LoadLocalModelsAsync(IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetKeyedService<LocalEmbeddingModels>(LocalEmbeddingModels.ServiceKey)?.LoadAllAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Asks for <paramref name="model"/> to be loaded at start-up and returns its container-wide generator.</summary>
    private static Func<IServiceProvider, IEmbeddingGenerator<string, Embedding<float>>> SharedGenerator(
        MovieSearchBuilder builder, OnnxEmbeddingModel model, string? cacheDirectory, bool cacheEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(model);
        var resolved = InCacheDirectory(model, cacheDirectory);
        var folder = cacheEmbeddings ? CacheDirectory.Resolve(cacheDirectory) : null;
        AddModels(builder.Services);
        builder.Services.AddSingleton(new LocalModelRequest(resolved, folder));
        return sp => Models(sp).Get(resolved, folder);
    }

    // The shared int8 instances quantize into the default cache folder; a registration's own folder is the one to use.
    private static OnnxEmbeddingModel InCacheDirectory(OnnxEmbeddingModel model, string? cacheDirectory) =>
        ReferenceEquals(model, OnnxEmbeddingModel.ArcticEmbedXsInt8) ? OnnxEmbeddingModel.ArcticEmbedXs.Quantized(cacheDirectory)
        : ReferenceEquals(model, OnnxEmbeddingModel.MiniLmL6V2Int8) ? OnnxEmbeddingModel.MiniLmL6V2.Quantized(cacheDirectory)
        : model;

    private static void AddModels(IServiceCollection services)
    {
        if (services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, LocalEmbeddingModels.ServiceKey))) return;
        services.AddKeyedSingleton(LocalEmbeddingModels.ServiceKey, (sp, _) => new LocalEmbeddingModels(sp));
    }

    private static LocalEmbeddingModels Models(IServiceProvider services) =>
        services.GetRequiredKeyedService<LocalEmbeddingModels>(LocalEmbeddingModels.ServiceKey);
}
