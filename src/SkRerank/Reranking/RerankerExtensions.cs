namespace SkRerank.Reranking;

/// <summary>Typed access to <see cref="IReranker.GetService"/> and the start of a decorator pipeline.</summary>
public static class RerankerExtensions
{
    /// <summary>Asks <paramref name="reranker"/> (or, through decorators, an inner reranker) for a <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type of object wanted, e.g. <see cref="RerankerMetadata"/> or a concrete reranker.</typeparam>
    /// <param name="reranker">The reranker to ask.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The object, or <see langword="null"/> when there is none.</returns>
    public static TService? GetService<TService>(this IReranker reranker, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        return reranker.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }

    /// <summary>Starts a <see cref="RerankerBuilder"/> whose innermost reranker is <paramref name="innerReranker"/>.</summary>
    /// <param name="innerReranker">The reranker the decorators wrap.</param>
    /// <returns>A builder; add decorators with <see cref="RerankerBuilder.Use(Func{IReranker, IReranker})"/>, then <see cref="RerankerBuilder.Build"/>.</returns>
    public static RerankerBuilder AsBuilder(this IReranker innerReranker) => new(innerReranker);

    /// <summary>The answer of a reranker that decorates nothing: itself when it is a <paramref name="serviceType"/>, its metadata, else <see langword="null"/>.</summary>
    internal static object? GetOwnService(this IReranker reranker, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(RerankerMetadata)) return reranker.Metadata;
        return serviceType.IsInstanceOfType(reranker) ? reranker : null;
    }
}
