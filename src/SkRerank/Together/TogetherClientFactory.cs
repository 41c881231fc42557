using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SkRerank.Together;

/// <summary>Builds Together's generator and reranker without a host (for the CLI), with the same resilient HTTP client as DI.</summary>
public static class TogetherClientFactory
{
    /// <summary>
    /// Creates a generator and a reranker from <paramref name="options"/> as given (the environment is not consulted
    /// again: use <see cref="TogetherOptions.FromEnvironment(Func{string, string?}?)"/> for that).
    /// </summary>
    /// <param name="options">The settings; copied, so later changes do not affect the clients.</param>
    /// <param name="loggerFactory">For logs; none when <see langword="null"/>.</param>
    /// <returns>The clients; dispose them to release their HTTP handlers.</returns>
    /// <exception cref="TogetherConfigurationException">A setting is missing or invalid, e.g. no API key.</exception>
    public static TogetherClients Create(TogetherOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory ?? NullLoggerFactory.Instance);
        services.AddLogging();
        TogetherServiceCollectionExtensions.AddTogetherCore(services, options.CopyTo, useEnvironment: false);
        services.AddSingleton<TogetherEmbeddingGenerator>();
        services.AddSingleton<TogetherReranker>();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new TogetherClients(provider);
    }
}
