using Microsoft.Extensions.DependencyInjection;
using SkRerank.Plugin;
using SkRerank.Search;
using SkRerank.Together;

// In SK's namespace, beside its own IKernelBuilder.Add* methods.
namespace Microsoft.SemanticKernel;

/// <summary>Adds the movie search and its <c>search_movies</c> plugin to a kernel.</summary>
public static class MovieSearchKernelBuilderExtensions
{
    /// <summary>
    /// Registers the movie search in <see cref="IKernelBuilder.Services"/> and its plugin, named
    /// <see cref="MovieSearchPlugin.PluginName"/>, in every kernel built from them. The embedding generator (and
    /// optionally a reranker and a collection) come from the services; see
    /// <see cref="MovieSearchServiceCollectionExtensions.AddMovieSearch"/>. Use <c>builder.Services.AddMovieSearch()</c>
    /// to get the builder that picks them explicitly.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Adjusts the search settings.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddMovieSearch(this IKernelBuilder builder, Action<MovieSearchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMovieSearch(configure);
        return builder;
    }

    /// <summary>
    /// Registers the movie search on Together AI (embeddings and Llama-Rank) with its plugin; see
    /// <see cref="TogetherMovieSearchServiceCollectionExtensions.AddTogetherMovieSearch"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets Together options; the key and base URL default to <c>TOGETHER_API_KEY</c> and <c>TOGETHER_BASE_URL</c>.</param>
    /// <param name="cacheDirectory">Folder for the embedding cache; <see langword="null"/> uses <c>SKRERANK_CACHE_DIR</c> or the user cache folder.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddTogetherMovieSearch(this IKernelBuilder builder, Action<TogetherOptions>? configure = null, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTogetherMovieSearch(configure, cacheDirectory);
        return builder;
    }
}
