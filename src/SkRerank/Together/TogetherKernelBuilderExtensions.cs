using Microsoft.Extensions.DependencyInjection;
using SkRerank.Together;

namespace Microsoft.SemanticKernel;

/// <summary>Adds Together's services to a Semantic Kernel through <see cref="IKernelBuilder.Services"/>.</summary>
public static class TogetherKernelBuilderExtensions
{
    /// <summary>Adds Together's embedding generator and reranker; see <see cref="TogetherServiceCollectionExtensions.AddTogether"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets options; the API key and base URL fall back to <c>TOGETHER_API_KEY</c> and <c>TOGETHER_BASE_URL</c>.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddTogether(this IKernelBuilder builder, Action<TogetherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTogether(configure);
        return builder;
    }

    /// <summary>Adds Together's embedding generator; see <see cref="TogetherServiceCollectionExtensions.AddTogetherEmbeddingGenerator"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets options; the API key and base URL fall back to <c>TOGETHER_API_KEY</c> and <c>TOGETHER_BASE_URL</c>.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddTogetherEmbeddingGenerator(this IKernelBuilder builder, Action<TogetherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTogetherEmbeddingGenerator(configure);
        return builder;
    }

    /// <summary>Adds Together's reranker; see <see cref="TogetherServiceCollectionExtensions.AddTogetherReranker"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets options; the API key and base URL fall back to <c>TOGETHER_API_KEY</c> and <c>TOGETHER_BASE_URL</c>.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddTogetherReranker(this IKernelBuilder builder, Action<TogetherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTogetherReranker(configure);
        return builder;
    }
}
