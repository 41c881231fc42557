using SkRerank.Reranking;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an <see cref="IReranker"/> pipeline, like M.E.AI's <c>AddEmbeddingGenerator</c>.</summary>
public static class RerankerServiceCollectionExtensions
{
    /// <summary>Registers a singleton <see cref="IReranker"/>: the reranker <paramref name="innerFactory"/> creates, wrapped by the decorators added to the returned builder.</summary>
    /// <param name="services">The services.</param>
    /// <param name="innerFactory">Creates the innermost reranker.</param>
    /// <returns>The builder, to add decorators (<c>.UseLogging().UseOpenTelemetry()</c>).</returns>
    public static RerankerBuilder AddReranker(this IServiceCollection services, Func<IServiceProvider, IReranker> innerFactory)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new RerankerBuilder(innerFactory);
        services.AddSingleton(builder.Build);
        return builder;
    }

    /// <summary>Registers a singleton <see cref="IReranker"/>: <paramref name="innerReranker"/> wrapped by the decorators added to the returned builder.</summary>
    /// <param name="services">The services.</param>
    /// <param name="innerReranker">The innermost reranker.</param>
    /// <returns>The builder.</returns>
    public static RerankerBuilder AddReranker(this IServiceCollection services, IReranker innerReranker)
    {
        ArgumentNullException.ThrowIfNull(innerReranker);
        return services.AddReranker(_ => innerReranker);
    }
}
