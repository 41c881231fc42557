using SkRerank.Lexical;
using SkRerank.VectorStore;

namespace SkRerank.Postgres;

/// <summary>
/// Fuses the dense and keyword rankings of a hybrid search the way the in-memory store does, so both stores rank alike:
/// Reciprocal Rank Fusion, or dense z-score plus weighted keyword z-score over the filtered rows (keyword non-matches
/// score 0).
/// </summary>
internal static class PostgresHybridFusion
{
    /// <param name="dense">Every filtered row with a vector and its vector score.</param>
    /// <param name="sparse">The rows matching a keyword and their keyword score.</param>
    /// <param name="higherIsBetter">Whether higher vector scores are better.</param>
    /// <param name="method">The fusion.</param>
    /// <param name="keywordWeight">The keyword z-score's weight under <see cref="HybridFusionMethod.WeightedZScore"/>.</param>
    /// <param name="rrfK">The k of Reciprocal Rank Fusion.</param>
    public static IReadOnlyList<LexicalMatch<TKey>> Fuse<TKey>(
        IReadOnlyList<(double Score, TKey Key)> dense, IReadOnlyList<(double Score, TKey Key)> sparse,
        bool higherIsBetter, HybridFusionMethod method, double keywordWeight, int rrfK)
        where TKey : notnull
    {
        // Stable sorts: ties keep the order the rows came in, which is key order.
        var denseRanking = dense.OrderBy(h => higherIsBetter ? -h.Score : h.Score).ToList();
        if (method == HybridFusionMethod.ReciprocalRank)
            return ReciprocalRankFusion.Fuse([denseRanking.Select(h => h.Key), sparse.OrderByDescending(m => m.Score).Select(m => m.Key)], rrfK);

        return WeightedZScoreFusion.Fuse(denseRanking, sparse.Select(m => new LexicalMatch<TKey>(m.Key, m.Score)).ToList(), higherIsBetter, keywordWeight);
    }
}
