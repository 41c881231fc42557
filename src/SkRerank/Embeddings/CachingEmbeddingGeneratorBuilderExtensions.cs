using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkRerank.Embeddings;

// Beside M.E.AI's own Use* extensions (UseLogging, UseOpenTelemetry, UseDistributedCache).
namespace Microsoft.Extensions.AI;

/// <summary>Adds SkRerank's embedding caches to an <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/>.</summary>
public static class CachingEmbeddingGeneratorBuilderExtensions
{
    /// <summary>
    /// Keeps document vectors on disk (<see cref="DiskCachingEmbeddingGenerator"/>), one checksummed file per model, so
    /// a restart embeds only new or changed texts. Queries pass through.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="cacheDirectory">Cache root (vectors go to its <c>embeddings</c> subfolder); <see langword="null"/> uses <c>SKRERANK_CACHE_DIR</c>, else the user cache folder.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseDiskCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var folder = Path.Combine(CacheDirectory.Resolve(cacheDirectory), "embeddings");
        return builder.Use((inner, services) =>
            new DiskCachingEmbeddingGenerator(inner, folder, services.GetService<ILogger<DiskCachingEmbeddingGenerator>>()));
    }

    /// <summary>
    /// Remembers recent query vectors in memory (<see cref="QueryEmbeddingCache"/>), so a query embedded by the first
    /// stage is not embedded again by a reranker's similarity signal on the same model.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="capacity">How many query vectors are kept.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseQueryCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, int capacity = QueryEmbeddingCache.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new QueryEmbeddingCache(inner, capacity));
    }
}
