using SkRerank.Movies;
using SkRerank.DependencyInjection;
using SkRerank.Onnx.DependencyInjection;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.Reranking;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the offline movie search (ONNX models, no network) in one call.</summary>
public static class LocalMovieSearchServiceCollectionExtensions
{
    /// <summary>
    /// Registers the movie search (see <see cref="MovieSearchServiceCollectionExtensions.AddMovieSearch"/>) on the
    /// offline defaults, the pipeline <c>skrerank</c> runs and the README measures:
    /// <see cref="LocalMovieSearchOptions.EmbeddingModel"/> behind a disk cache for the first stage (hybrid, BM25 fused
    /// by weighted z-score, fused with <see cref="LocalMovieSearchOptions.SecondaryEmbeddingModel"/>'s ranking), and the <see cref="LocalFusionReranker"/> (snowflake-arctic-embed-xs and all-MiniLM-L6-v2
    /// cosines over every movie field, plus BM25) for the second, as the movie search's own keyed components (an
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
        var builder = services.AddMovieSearch()
            .UseLocalEmbeddingGenerator(options.EmbeddingModel, options.CacheDirectory, options.CacheEmbeddings)
            // Every field: director and genres lift first-stage recall (README, "Relevance"), and the local reranker's
            // arctic signal (same model, same text) reuses the vectors instead of embedding every movie again.
            .Configure(o => o.EmbeddingFields = MovieTextFields.All);
        // A second model must be another model: the int8 and float variants of one model rank alike.
        if (options.SecondaryEmbeddingModel is { } secondary && BaseModelId(secondary) != BaseModelId(options.EmbeddingModel))
            builder.UseLocalSecondaryEmbeddingGenerator(secondary, options.CacheDirectory, options.CacheEmbeddings);
        if (options.Rerank)
        {
            builder.UseLocalReranker(options.CacheDirectory, options.CacheEmbeddings,
                quantized: LocalMovieSearchBuilderExtensions.RerankerRunsQuantized(options.EmbeddingModel));
        }
        return builder;
    }

    private static string BaseModelId(OnnxEmbeddingModel model) =>
        model.IsQuantized && model.ModelId.EndsWith("-int8", StringComparison.Ordinal) ? model.ModelId[..^"-int8".Length] : model.ModelId;
}
