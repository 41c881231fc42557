namespace SkRerank.Reranking;

/// <summary>One reranked document.</summary>
/// <param name="Index">Index of the document in the list passed to <see cref="IReranker.RerankAsync"/>.</param>
/// <param name="RelevanceScore">The reranker's score; higher is more relevant. Scales differ between rerankers.</param>
public readonly record struct RerankResult(int Index, double RelevanceScore);
