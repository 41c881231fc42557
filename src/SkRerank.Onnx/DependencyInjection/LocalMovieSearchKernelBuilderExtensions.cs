using Microsoft.Extensions.DependencyInjection;
using SkRerank.Onnx.DependencyInjection;

// In SK's namespace, beside its own IKernelBuilder.Add* methods.
namespace Microsoft.SemanticKernel;

/// <summary>Adds the offline movie search and its <c>search_movies</c> plugin to a kernel.</summary>
public static class LocalMovieSearchKernelBuilderExtensions
{
    /// <summary>
    /// Registers the offline movie search in the kernel builder's services, and its plugin in every kernel built from
    /// them; see <see cref="LocalMovieSearchServiceCollectionExtensions.AddLocalMovieSearch"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Picks the model, cache folder and reranker.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddLocalMovieSearch(this IKernelBuilder builder, Action<LocalMovieSearchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLocalMovieSearch(configure);
        return builder;
    }
}
