using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SkRerank.DependencyInjection;
using SkRerank.Together;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the movie search on Together AI in one call.</summary>
public static class TogetherMovieSearchServiceCollectionExtensions
{
    /// <summary>
    /// Registers the movie search (see <see cref="MovieSearchServiceCollectionExtensions.AddMovieSearch"/>) with
    /// Together's embeddings (<see cref="TogetherOptions.EmbeddingModel"/>, cached on disk) and reranker
    /// (<see cref="TogetherOptions.RerankModel"/>), as the movie search's own keyed components, so an application's
    /// other embedding generators and rerankers are left alone.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets Together options; the key and base URL default to <c>TOGETHER_API_KEY</c> and <c>TOGETHER_BASE_URL</c>.</param>
    /// <param name="cacheDirectory">Folder for the embedding cache; <see langword="null"/> uses <c>SKRERANK_CACHE_DIR</c> or the user cache folder.</param>
    /// <returns>The movie search builder, e.g. to <see cref="MovieSearchBuilder.Configure"/> the search.</returns>
    /// <remarks>A missing API key surfaces as an <see cref="Options.OptionsValidationException"/> when the search is first resolved.</remarks>
    public static MovieSearchBuilder AddTogetherMovieSearch(this IServiceCollection services, Action<TogetherOptions>? configure = null, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        TogetherServiceCollectionExtensions.AddTogetherCore(services, configure, useEnvironment: true);
        services.TryAddSingleton<TogetherEmbeddingGenerator>();
        services.TryAddSingleton<TogetherReranker>();
        return services.AddMovieSearch()
            // Queries are embedded by the first stage and again by a reranker's similarity signal: one remote call.
            .UseEmbeddingGenerator(sp => sp.GetRequiredService<TogetherEmbeddingGenerator>().AsBuilder()
                .UseDiskCache(cacheDirectory)
                .UseQueryCache()
                .Build(sp))
            .UseReranker(sp => sp.GetRequiredService<TogetherReranker>());
    }
}
