namespace SkRerank.Reranking;

/// <summary>Argument checks and result ordering shared by every <see cref="IReranker"/> implementation.</summary>
internal static class RerankArguments
{
    /// <summary>Throws when the query is empty, documents is null, or top_n is outside 1..documents.Count.</summary>
    public static void Validate(string query, IReadOnlyList<string> documents, RerankOptions? options)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new ArgumentException("The rerank query is empty.", nameof(query));
        ArgumentNullException.ThrowIfNull(documents);
        if (options?.TopN is { } topN && (topN < 1 || topN > Math.Max(documents.Count, 1)))
            throw new ArgumentOutOfRangeException(nameof(options), topN, $"top_n must be between 1 and the number of documents ({documents.Count}), but was {topN}.");
    }

    /// <summary>Orders scores descending (ties by original index) and keeps the first <paramref name="topN"/>.</summary>
    public static IReadOnlyList<RerankResult> TopResults(IReadOnlyList<double> scores, int? topN)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i);
        return order.Take(topN ?? scores.Count).Select(i => new RerankResult(i, scores[i])).ToList();
    }
}
