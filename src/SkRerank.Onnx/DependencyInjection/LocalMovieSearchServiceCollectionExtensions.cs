using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SkRerank.DependencyInjection;
using SkRerank.Embeddings;
using SkRerank.Onnx.DependencyInjection;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.Reranking;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the offline movie search (ONNX models, no network) in one call.</summary>
public static class LocalMovieSearchServiceCollectionExtensions
{
    /// <summary>The key of the reranker's second embedding model (all-MiniLM-L6-v2), registered so the container disposes it.</summary>
    private const string SecondModelKey = MovieSearchBuilder.ServiceKey + ".SecondModel";

    /// <summary>
    /// Registers the movie search (see <see cref="MovieSearchServiceCollectionExtensions.AddMovieSearch"/>) on the
    /// offline defaults: <see cref="LocalMovieSearchOptions.EmbeddingModel"/> behind a disk cache for the first stage,
    /// and the <see cref="LocalFusionReranker"/> for the second, as the movie search's own keyed components (an
    /// application's other embedding generators and rerankers are left alone). Models load on first use.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Picks the model, cache folder and reranker.</param>
    /// <returns>The movie search builder, e.g. to <see cref="MovieSearchBuilder.Configure"/> the search or use another collection.</returns>
    public static MovieSearchBuilder AddLocalMovieSearch(this IServiceCollection services, Action<LocalMovieSearchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new LocalMovieSearchOptions();
        configure?.Invoke(options);
        var cacheFolder = Path.Combine(CacheDirectory.Resolve(options.CacheDirectory), "embeddings");
        // The shared int8 model quantizes into the default cache folder; this registration's folder is the one to use.
        var model = ReferenceEquals(options.EmbeddingModel, OnnxEmbeddingModel.ArcticEmbedXsInt8)
            ? OnnxEmbeddingModel.ArcticEmbedXs.Quantized(options.CacheDirectory)
            : options.EmbeddingModel;

        var builder = services.AddMovieSearch()
            .UseEmbeddingGenerator(sp => Cached(sp, new OnnxEmbeddingGenerator(model), options.CacheEmbeddings, cacheFolder));
        if (options.Rerank)
        {
            services.AddKeyedSingleton(SecondModelKey,
                (sp, _) => Cached(sp, new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2), options.CacheEmbeddings, cacheFolder));
            builder.UseReranker(sp => LocalFusionReranker.Create(sp.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(SecondModelKey)));
        }
        return builder;
    }

    private static IEmbeddingGenerator<string, Embedding<float>> Cached(
        IServiceProvider services, OnnxEmbeddingGenerator generator, bool cache, string cacheFolder) =>
        cache ? new DiskCachingEmbeddingGenerator(generator, cacheFolder, services.GetService<ILogger<DiskCachingEmbeddingGenerator>>()) : generator;
}
