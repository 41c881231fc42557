namespace SkRerank.Reranking;

/// <summary>
/// A reranker that forwards every call to an inner reranker: the base of decorators such as
/// <see cref="LoggingReranker"/> and <see cref="OpenTelemetryReranker"/> (like M.E.AI's <c>DelegatingEmbeddingGenerator</c>).
/// </summary>
public class DelegatingReranker : IReranker
{
    /// <summary>Wraps <paramref name="innerReranker"/>.</summary>
    /// <param name="innerReranker">The reranker calls are forwarded to; disposed with this one.</param>
    protected DelegatingReranker(IReranker innerReranker)
    {
        InnerReranker = innerReranker ?? throw new ArgumentNullException(nameof(innerReranker));
    }

    /// <summary>The reranker calls are forwarded to.</summary>
    protected IReranker InnerReranker { get; }

    /// <inheritdoc />
    public virtual RerankerMetadata Metadata => InnerReranker.Metadata;

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default) =>
        InnerReranker.RerankAsync(query, documents, options, cancellationToken);

    /// <summary>Returns this reranker when it is a <paramref name="serviceType"/>, else asks the inner one.</summary>
    /// <inheritdoc />
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerReranker.GetService(serviceType, serviceKey);
    }

    /// <summary>Disposes the inner reranker.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner reranker when <paramref name="disposing"/>.</summary>
    /// <param name="disposing"><see langword="true"/> from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) InnerReranker.Dispose();
    }
}
