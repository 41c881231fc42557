using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.Data;
using SkRerank.Reranking;
using SkRerank.TextSearch;

// In this namespace so that the registration shows up wherever services are configured, like Microsoft's own Add* methods.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers reranked Semantic Kernel text search.</summary>
public static class RerankingTextSearchServiceCollectionExtensions
{
#pragma warning disable CS0618 // SK's plugins and TextSearchProvider resolve the (obsolete) non-generic ITextSearch.
    /// <summary>
    /// Registers <see cref="ITextSearch"/> as the <see cref="VectorStoreTextSearch{TRecord}"/> that SK's
    /// <c>AddVectorStoreTextSearch&lt;TRecord&gt;(serviceId)</c> registered, reranked by the registered
    /// <see cref="IReranker"/> (keyed under <paramref name="serviceId"/>, else unkeyed).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts pool size, score floor and fail-open (options named <paramref name="serviceId"/>).</param>
    /// <param name="serviceId">The key of SK's text search registration, and of this one; <see langword="null"/> for unkeyed.</param>
    /// <remarks>Resolving the search fails with a message naming what is missing when no text search or no reranker is registered.</remarks>
    [Experimental("SKEXP0001")]
    public static IServiceCollection AddRerankingTextSearch<TRecord>(
        this IServiceCollection services, Action<RerankingTextSearchOptions>? configure = null, string? serviceId = null)
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsName = serviceId ?? Options.Options.DefaultName;
        var options = services.AddOptions<RerankingTextSearchOptions>(optionsName).ValidateDataAnnotations();
        if (configure is not null) options.Configure(configure);

        // Transient, like SK's VectorStoreTextSearch registration it wraps.
        services.AddKeyedTransient<ITextSearch>(serviceId, (sp, _) => new RerankingTextSearch(
            sp.GetKeyedService<VectorStoreTextSearch<TRecord>>(serviceId)
                ?? throw new InvalidOperationException(
                    $"No VectorStoreTextSearch<{typeof(TRecord).Name}> is registered{(serviceId is null ? "" : $" under '{serviceId}'")}: call AddVectorStoreTextSearch<{typeof(TRecord).Name}>() before AddRerankingTextSearch."),
            sp.GetKeyedService<IReranker>(serviceId) ?? sp.GetService<IReranker>()
                ?? throw new InvalidOperationException("AddRerankingTextSearch needs an IReranker: register one (e.g. a TogetherReranker, the local fusion reranker or any IReranker)."),
            sp.GetRequiredService<IOptionsMonitor<RerankingTextSearchOptions>>().Get(optionsName),
            recordText: null,
            sp.GetService<ILoggerFactory>()?.CreateLogger<RerankingTextSearch>()));
        return services;
    }
#pragma warning restore CS0618
}
