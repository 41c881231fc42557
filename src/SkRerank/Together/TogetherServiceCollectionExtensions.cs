using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.Embeddings;
using SkRerank.Reranking;
using SkRerank.Together;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Together's embedding generator and reranker, their options and their resilient HTTP client.</summary>
public static class TogetherServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TogetherEmbeddingGenerator"/> (as <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> and
    /// SK's <c>ITextEmbeddingGenerationService</c>) and <see cref="TogetherReranker"/> (as <see cref="IReranker"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options; the API key and base URL fall back to <c>TOGETHER_API_KEY</c> and <c>TOGETHER_BASE_URL</c>, read through the registered <see cref="TogetherEnvironment"/> (the process environment unless the application registers another).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddTogether(this IServiceCollection services, Action<TogetherOptions>? configure = null)
    {
        AddTogetherEmbeddingGenerator(services, configure);
        return AddTogetherReranker(services);
    }

    /// <summary>Registers <see cref="TogetherEmbeddingGenerator"/> as <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> and SK's <c>ITextEmbeddingGenerationService</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options; the API key and base URL fall back to <c>TOGETHER_API_KEY</c> and <c>TOGETHER_BASE_URL</c>, read through the registered <see cref="TogetherEnvironment"/> (the process environment unless the application registers another).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddTogetherEmbeddingGenerator(this IServiceCollection services, Action<TogetherOptions>? configure = null)
    {
        AddTogetherCore(services, configure, useEnvironment: true);
        services.TryAddSingleton<TogetherEmbeddingGenerator>();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<TogetherEmbeddingGenerator>());
#pragma warning disable CS0618, SKEXP0001 // SK's older interface is obsolete in 1.82 but still asked for; see TogetherEmbeddingGenerator.
        services.AddSingleton<ITextEmbeddingGenerationService>(sp => sp.GetRequiredService<TogetherEmbeddingGenerator>());
#pragma warning restore CS0618, SKEXP0001
        return services;
    }

    /// <summary>Registers <see cref="TogetherReranker"/> as <see cref="IReranker"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options; the API key and base URL fall back to <c>TOGETHER_API_KEY</c> and <c>TOGETHER_BASE_URL</c>, read through the registered <see cref="TogetherEnvironment"/> (the process environment unless the application registers another).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddTogetherReranker(this IServiceCollection services, Action<TogetherOptions>? configure = null)
    {
        AddTogetherCore(services, configure, useEnvironment: true);
        services.TryAddSingleton<TogetherReranker>();
        services.AddSingleton<IReranker>(sp => sp.GetRequiredService<TogetherReranker>());
        return services;
    }

    /// <summary>Options, validation and the "Together" HTTP client with its resilience handler, registered once however often this is called.</summary>
    internal static void AddTogetherCore(IServiceCollection services, Action<TogetherOptions>? configure, bool useEnvironment)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TogetherOptions>();
        if (configure is not null) services.Configure(configure);
        if (useEnvironment)
        {
            // The fallback source is a service, so an application (or a test) decides where it reads from.
            services.TryAddSingleton(TogetherEnvironment.Process);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TogetherOptions>, TogetherEnvironmentDefaults>());
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TogetherOptions>, TogetherOptionsValidator>());
        if (services.Any(d => d.ServiceType == typeof(TogetherHttpClientMarker))) return;
        services.AddSingleton<TogetherHttpClientMarker>();

        var client = services.AddHttpClient(TogetherOptions.HttpClientName)
            // The resilience handler's timeouts govern; HttpClient's own 100 s would cut retries short.
            .ConfigureHttpClient(c => c.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(["Authorization"]);
        client.AddStandardResilienceHandler().Configure((resilience, sp) => TogetherResilience.Configure(
            resilience,
            sp.GetRequiredService<IOptions<TogetherOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TogetherResilience).FullName!),
            TimeProvider.System));
        // Added after the resilience handler, so it sits inside it and counts every attempt.
        client.AddHttpMessageHandler(() => new TogetherAttemptCounter());
    }

    private sealed class TogetherHttpClientMarker;
}
