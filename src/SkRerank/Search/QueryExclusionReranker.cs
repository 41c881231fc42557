using SkRerank.Reranking;

namespace SkRerank.Search;

/// <summary>
/// Reranks with the wanted part of the query only (<see cref="QueryExclusion.Wanted"/>): "vampire movies, not teen
/// romance like Twilight" reaches the inner reranker as "vampire movies". For rerankers built on embeddings and BM25,
/// which cannot read negation; a cross-encoder or an LLM reads "not X" itself and should see the whole query.
/// </summary>
public sealed class QueryExclusionReranker : DelegatingReranker, IQueryPreparingReranker
{
    /// <summary>Wraps <paramref name="innerReranker"/>.</summary>
    /// <param name="innerReranker">The reranker that gets the wanted part of each query.</param>
    public QueryExclusionReranker(IReranker innerReranker)
        : base(innerReranker)
    {
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return base.RerankAsync(QueryExclusion.Wanted(query), documents, options, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Prepares the inner reranker with the same wanted part <see cref="RerankAsync"/> will pass it.</remarks>
    public Task PrepareQueryAsync(string query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return InnerReranker.GetService<IQueryPreparingReranker>() is { } preparer
            ? preparer.PrepareQueryAsync(QueryExclusion.Wanted(query), cancellationToken)
            : Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Offers itself as an <see cref="IQueryPreparingReranker"/> only when the inner reranker prepares queries.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(IQueryPreparingReranker))
        {
            return InnerReranker.GetService<IQueryPreparingReranker>() is null ? null : this;
        }

        return base.GetService(serviceType, serviceKey);
    }
}
