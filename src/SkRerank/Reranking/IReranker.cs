namespace SkRerank.Reranking;

/// <summary>
/// Scores documents by their relevance to a query, reading query and document together, and returns the best ones.
/// Provider-neutral, shaped like Together's and Cohere's <c>/rerank</c> APIs (neither Semantic Kernel nor
/// Microsoft.Extensions.AI has a reranking abstraction).
/// </summary>
/// <remarks>
/// Shaped like Microsoft.Extensions.AI's <c>IEmbeddingGenerator</c>: <see cref="GetService"/> reaches the
/// <see cref="RerankerMetadata"/> and, through decorators (<see cref="DelegatingReranker"/>), the inner rerankers;
/// disposing a reranker disposes what it owns.
/// </remarks>
public interface IReranker : IDisposable
{
    /// <summary>Describes the reranker (provider and model), for logs and results.</summary>
    RerankerMetadata Metadata { get; }

    /// <summary>
    /// Reranks <paramref name="documents"/> for <paramref name="query"/>.
    /// </summary>
    /// <param name="query">The search query; must not be empty.</param>
    /// <param name="documents">The candidate documents, as text.</param>
    /// <param name="options">How many results to return and other per-call settings; <see langword="null"/> returns all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Results ordered by descending <see cref="RerankResult.RelevanceScore"/>, each with the index of its document in <paramref name="documents"/>.</returns>
    Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query,
        IReadOnlyList<string> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the reranker for an object of <paramref name="serviceType"/>: the reranker itself or an inner one
    /// (a decorator forwards the request), its <see cref="RerankerMetadata"/>, or anything else it exposes.
    /// </summary>
    /// <param name="serviceType">The type of object wanted.</param>
    /// <param name="serviceKey">An optional key; the built-in rerankers expose nothing keyed.</param>
    /// <returns>The object, or <see langword="null"/> when there is none.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
